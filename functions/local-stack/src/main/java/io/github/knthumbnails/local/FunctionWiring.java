package io.github.knthumbnails.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.knthumbnails.coldstart.ImageRoot;
import io.github.knthumbnails.events.Buckets;

/**
 * How the local stack launches each function, as Knative wires it in a cluster: the command line (the built jar
 * and JVM options per function) and the environment (what a Knative Service, its SinkBinding and our manifests
 * set: {@code PORT}, {@code K_SINK}, {@code MINIO_*}, the buckets). The same for every (re)start of a function.
 *
 * <p>Telemetry: a function inherits this process's whole environment ({@link FunctionProcess#launch()} only adds
 * to it), and nothing here sets or removes an {@code OTEL_*} variable, so the standard OpenTelemetry ones pass
 * through unchanged: {@code OTEL_EXPORTER_OTLP_ENDPOINT} (e.g. {@code http://127.0.0.1:4318}; alone it turns on
 * OTLP/HTTP export of traces and metrics), {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT}, {@code OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_TRACES_SAMPLER} and
 * {@code OTEL_TRACES_SAMPLER_ARG}; unset, nothing is exported. {@link LocalStack.Config#functionEnv()} sets them
 * for the stack alone (tests do), over this process's values. {@code OTEL_SERVICE_NAME} passes too, but it would
 * give all three functions one name: leave it unset and each reports its {@code spring.application.name}
 * ({@code minio-source}, {@code resize}, {@code status}).
 *
 * @param config     the stack's settings
 * @param urls       base URL per function name, {@code http://127.0.0.1:<port>/}
 * @param s3Endpoint the S3 endpoint the functions use
 * @param sink        the Broker's ingress, the minio-source's {@code K_SINK}
 * @param concurrency the most events the Broker has in flight to resize (sizes resize's heap)
 */
record FunctionWiring(LocalStack.Config config, Map<String, URI> urls, URI s3Endpoint, URI sink, int concurrency) {

    /**
     * JVM options per function when it runs as a fat jar (a JDK below 25, or no image built). The minio-source and
     * status functions only move bytes, so the C1 compiler alone serves them and halves the start of three JVMs on a
     * 2-core machine (17 s to 9 s measured); resize keeps the full JIT, which the pure-Java decoders of a JDK 17 run
     * need most (C1-only code resizes 11-19% slower there, shared/docs/performance.md §11). From its image a
     * function gets the image's own flags, C1 only included (root pom, {@code image.jit.tier}).
     */
    private static final Map<String, List<String>> JVM_OPTIONS = Map.of(
            "minio-source", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            "resize", List.of("-XX:+UseSerialGC", "-Xmn64m"), // the heap: resizeHeapMegabytes
            "status", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));

    /**
     * The local resize heap for {@code concurrency} renders at once, in MiB: 128 for Spring's live set plus 160 per
     * render, the largest on-heap raster an admitted image needs (a 40 MP WebP). With SerialGC such an array goes
     * straight to the old generation, so the young one is held at 64 MiB ({@code -Xmn64m}) and the old one gets
     * the rest: at 2 renders ({@code -Xmx448m}) two worst-case WebPs at once reach their verdict with a peak RSS of
     * 542 MB, where {@code -Xmx320m} gave one of them an OutOfMemoryError (503, retried); two 50 MP progressive
     * JPEGs at once peak at ~715 MB, their coefficients being native memory (resize ConcurrentMemoryBench, issue 9).
     *
     * @param concurrency the most events the Broker has in flight to resize
     * @return the {@code -Xmx} value in MiB
     */
    static int resizeHeapMegabytes(int concurrency) {
        return 128 + 160 * concurrency;
    }

    /** Copies the map. */
    FunctionWiring {
        urls = Map.copyOf(urls);
    }

    /** @return {@code <functionsDir>/<function>/target/<function>.jar}, what {@code ./mvnw package} builds */
    static Path jar(Path functionsDir, String function) {
        return functionsDir.resolve(function).resolve("target").resolve(function + ".jar");
    }

    /**
     * @return {@code <functionsDir>/<function>/target/jib-layout.tar}, the function's image with its AOT cache, which
     *         {@code ./mvnw verify} builds when a JDK 25 is at hand (root pom, profile {@code aot})
     */
    static Path imageLayout(Path functionsDir, String function) {
        return functionsDir.resolve(function).resolve("target").resolve("jib-layout.tar");
    }

    /**
     * How a function starts. On a JDK 25 or newer, when the build made the function's image, the function runs from
     * that image's layers (unpacked once into {@code target/image-root}): its jlinked JDK 25, its classpath, its JVM
     * flags and its trained AOT cache, as it starts on a cluster (issue 10); resize's heap is then sized here as
     * below ({@code -Xmx} wins over the image's {@code -XX:MaxRAMPercentage}). Otherwise: {@code <this JVM's java>
     * <options> -Dspring.aot.enabled=true -jar <jar>}, Spring AOT on as in the images.
     *
     * @param function one of {@link LocalStack#FUNCTIONS}
     * @return the command line
     * @throws UncheckedIOException if the image cannot be unpacked
     */
    List<String> command(String function) {
        Path image = imageLayout(config.functionsDir(), function);
        if (Runtime.version().feature() >= 25 && Files.isRegularFile(image)) {
            List<String> command = new ArrayList<>(imageRoot(image).command());
            if ("resize".equals(function)) {
                command.addAll(1, List.of("-Xmn64m", "-Xmx" + resizeHeapMegabytes(concurrency) + "m"));
            }
            return command;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS.get(function));
        if ("resize".equals(function)) {
            command.add("-Xmx" + resizeHeapMegabytes(concurrency) + "m");
        }
        command.add("-Dspring.aot.enabled=true");
        command.addAll(List.of("-jar", jar(config.functionsDir(), function).toString()));
        return command;
    }

    private static ImageRoot imageRoot(Path image) {
        try {
            return ImageRoot.extractOnce(image, image.resolveSibling("image-root"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + image + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param function one of {@link LocalStack#FUNCTIONS}
     * @return what the function gets on top of this process's environment, which it inherits whole:
     *         {@link LocalStack.Config#functionEnv()}, then what Knative would set (which wins over it); of the
     *         {@code OTEL_*} variables only {@code OTEL_METRIC_EXPORT_INTERVAL} gets a default (10 s, when neither
     *         sets it), so those of this process or of {@code functionEnv} pass through; likewise the status
     *         function gets {@code BROWSER_UPLOADS=true} unless one of them sets it
     */
    Map<String, String> environment(String function) {
        Map<String, String> env = new LinkedHashMap<>(config.functionEnv());
        env.put("PORT", String.valueOf(urls.get(function).getPort()));
        env.put("MINIO_ENDPOINT", s3Endpoint.toString());
        env.put("MINIO_ACCESS_KEY", config.accessKey());
        env.put("MINIO_SECRET_KEY", config.secretKey());
        env.put(Buckets.UPLOAD_BUCKETS, String.join(",", config.buckets().upload()));
        env.put(Buckets.THUMBNAILS_BUCKET, config.buckets().thumbnails());
        env.put("SPRING_MAIN_BANNER_MODE", "off");
        if (System.getenv("OTEL_METRIC_EXPORT_INTERVAL") == null) {
            // Local processes stay up, so metrics may go out sooner than the specification's 60 s default: an
            // OTLP receiver pointed at the stack sees them within seconds of an upload (issue 11).
            env.putIfAbsent("OTEL_METRIC_EXPORT_INTERVAL", "10000");
        }
        if (config.externalS3() == null || !"minio-source".equals(function)) {
            // Only an external MinIO (maybe on another host) needs to reach a function: the minio-source. The
            // others listen on loopback, so the status function may serve the Broker's dead-letter sink beside its
            // API (issue 8, finding 1: on all interfaces it would keep its default, the public routes only).
            env.put("SERVER_ADDRESS", "127.0.0.1");
            if ("status".equals(function)) {
                env.put("STATUS_ROUTES", "all");
            }
        }
        if ("status".equals(function) && System.getenv("BROWSER_UPLOADS") == null) {
            // The status page's uploads from the browser (issue 12) are on locally, where the S3 server is ours and
            // accepts the page's cross-origin POSTs (EmbeddedS3); off by default elsewhere. This process's
            // environment or functionEnv turns them off with BROWSER_UPLOADS=false.
            env.putIfAbsent("BROWSER_UPLOADS", "true");
        }
        if ("minio-source".equals(function)) {
            // What the SinkBinding injects: the Broker's ingress (here the LocalBroker).
            env.put("K_SINK", sink.toString());
            if (config.webhookToken() != null) {
                env.put("WEBHOOK_AUTH_TOKEN", config.webhookToken());
            }
        }
        return env;
    }
}
