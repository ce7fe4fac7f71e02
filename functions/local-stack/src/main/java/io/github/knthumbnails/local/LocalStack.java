package io.github.knthumbnails.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.knthumbnails.events.Buckets;

/**
 * The whole pipeline on one machine: the {@link EmbeddedS3} server with its {@link WebhookNotifier}, and the three
 * functions as child processes ({@code java -jar <function>.jar}) wired the way Knative wires them — each gets
 * {@code PORT}, the minio-source gets {@code K_SINK} pointing at the resize function (the Broker's place in a
 * cluster), all get the same {@code MINIO_*} and bucket variables. Only the S3 server and the Broker are
 * stand-ins; the functions run the same jars a cluster runs.
 *
 * <p>With {@link Config#externalS3()} set, no S3 server is started: the functions use that endpoint and the
 * user points MinIO's webhook at the minio-source.
 */
public final class LocalStack implements AutoCloseable {

    /** How long a function may take to become ready. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** The functions, in start order; each is {@code <functionsDir>/<name>/target/<name>.jar}. */
    public static final List<String> FUNCTIONS = List.of("minio-source", "resize", "status");

    /**
     * JVM options per function. The minio-source and status functions only move bytes, so the C1 compiler alone
     * serves them and halves the start of three JVMs on a 2-core machine (17 s to 9 s measured); resize keeps the
     * full JIT because C1-only code resizes 11-19% slower (shared/docs/performance.md §11).
     */
    private static final Map<String, List<String>> JVM_OPTIONS = Map.of(
            "minio-source", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
            "resize", List.of("-XX:+UseSerialGC", "-Xmx320m"), // one image at a time: knative/resize.yaml
            "status", List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));

    /**
     * Settings of the stack.
     *
     * @param dataDir      where objects and queued webhook events live (created if missing); survives restarts
     * @param functionsDir the repository's {@code functions/} folder, holding the built jars
     * @param s3Port       port of the S3 server, 0 for any free port
     * @param ports        port per function name ({@link #FUNCTIONS}), 0 for any free port
     * @param accessKey    the S3 access key (server and functions)
     * @param secretKey    the S3 secret key
     * @param buckets      upload buckets and the thumbnails bucket; all are created if missing
     * @param webhookToken the bearer token the notifier sends and the minio-source requires
     * @param externalS3   an S3/MinIO endpoint to use instead of starting one, or {@code null}
     * @param functionEnv  extra environment for every function, e.g. {@code RENDITIONS}
     */
    public record Config(Path dataDir, Path functionsDir, int s3Port, Map<String, Integer> ports, String accessKey,
                         String secretKey, Buckets buckets, String webhookToken, URI externalS3,
                         Map<String, String> functionEnv) {

        /** Copies the maps. */
        public Config {
            ports = Map.copyOf(ports);
            functionEnv = Map.copyOf(functionEnv);
        }
    }

    private final Config config;
    private final Consumer<String> output;
    private final List<Child> children = new ArrayList<>();
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private WebhookNotifier notifier;
    private EmbeddedS3 s3;
    private URI s3Endpoint;

    private LocalStack(Config config, Consumer<String> output) {
        this.config = config;
        this.output = output;
    }

    /**
     * Starts everything and returns when every function answers its readiness probe.
     *
     * @param config settings
     * @param output receives every line the functions print, prefixed with {@code [name]}
     * @return the running stack; {@link #close()} it
     * @throws IOException           if a port cannot be bound, a jar is missing, or the data folder is unusable
     * @throws IllegalStateException if a function exits or is not ready within 120 s; the message has its last
     *                               output lines
     */
    public static LocalStack start(Config config, Consumer<String> output) throws IOException {
        LocalStack stack = new LocalStack(config, output);
        try {
            stack.startAll();
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        for (String function : FUNCTIONS) {
            Path jar = jar(function);
            if (!Files.isRegularFile(jar)) {
                throw new IOException(jar + " is missing: build the functions first (./mvnw -DskipTests package)");
            }
            int port = config.ports().getOrDefault(function, 0);
            urls.put(function, URI.create("http://127.0.0.1:" + (port == 0 ? freePort() : port) + "/"));
        }
        Set<String> allBuckets = new LinkedHashSet<>(config.buckets().upload());
        allBuckets.add(config.buckets().thumbnails());
        if (config.externalS3() == null) {
            notifier = WebhookNotifier.start(WebhookNotifier.Config.of(config.dataDir(), urls.get("minio-source"),
                    config.webhookToken()));
            s3 = EmbeddedS3.start(new EmbeddedS3.Config(config.dataDir(), config.s3Port(), config.accessKey(),
                    config.secretKey(), allBuckets, config.buckets().upload()), notifier);
            s3Endpoint = s3.endpoint();
        } else {
            s3Endpoint = config.externalS3();
        }
        for (String function : FUNCTIONS) {
            children.add(spawn(function));
        }
        for (Child child : children) {
            awaitReady(child);
        }
    }

    private Path jar(String function) {
        return config.functionsDir().resolve(function).resolve("target").resolve(function + ".jar");
    }

    private Child spawn(String function) throws IOException {
        URI url = urls.get(function);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS.get(function));
        command.addAll(List.of("-jar", jar(function).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.putAll(config.functionEnv());
        env.put("PORT", String.valueOf(url.getPort()));
        env.put("MINIO_ENDPOINT", s3Endpoint.toString());
        env.put("MINIO_ACCESS_KEY", config.accessKey());
        env.put("MINIO_SECRET_KEY", config.secretKey());
        env.put(Buckets.UPLOAD_BUCKETS, String.join(",", config.buckets().upload()));
        env.put(Buckets.THUMBNAILS_BUCKET, config.buckets().thumbnails());
        env.put("SPRING_MAIN_BANNER_MODE", "off");
        if (config.externalS3() == null) {
            // Nothing outside this machine needs to reach the functions when S3 is embedded, so the status
            // function may serve the dead-letter sink beside its API (issue 8, finding 1); on all interfaces it
            // keeps its default, the public routes only.
            env.put("SERVER_ADDRESS", "127.0.0.1");
            if ("status".equals(function)) {
                env.put("STATUS_ROUTES", "all");
            }
        }
        if ("minio-source".equals(function)) {
            // What a SinkBinding injects; in a cluster the sink is the Broker, here it is the resize function.
            env.put("K_SINK", urls.get("resize").toString());
            if (config.webhookToken() != null) {
                env.put("WEBHOOK_AUTH_TOKEN", config.webhookToken());
            }
        }
        Child child = new Child(function, url, builder.start());
        Thread pump = new Thread(() -> child.pump(output), "output-" + function);
        pump.setDaemon(true);
        pump.start();
        return child;
    }

    private static void awaitReady(Child child) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI probe = child.url.resolve("/actuator/health/readiness");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.process.isAlive()) {
                throw new IllegalStateException(child.name + " exited with status " + child.process.exitValue()
                        + "; its last output:\n" + child.lastLines());
            }
            try {
                if (http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + child.name, e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + child.name, e);
            }
        }
        throw new IllegalStateException(child.name + " was not ready within " + READY_TIMEOUT.toSeconds()
                + " s; its last output:\n" + child.lastLines());
    }

    /** @return the S3 endpoint the functions use, e.g. {@code http://127.0.0.1:9000} */
    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /**
     * @param function one of {@link #FUNCTIONS}
     * @return its base URL, e.g. {@code http://127.0.0.1:8082/}
     */
    public URI url(String function) {
        return urls.get(function);
    }

    /**
     * Stops the notifier (queued events stay on disk for the next start), then the functions (SIGTERM, so
     * requests in flight finish; killed after 15 s), then the S3 server. Idempotent.
     */
    @Override
    public void close() {
        if (notifier != null) {
            notifier.close();
        }
        children.forEach(child -> child.process.destroy());
        for (Child child : children) {
            try {
                if (!child.process.waitFor(15, TimeUnit.SECONDS)) {
                    child.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.process.destroyForcibly();
            }
        }
        children.clear();
        if (s3 != null) {
            s3.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One function process and the tail of its output. */
    private static final class Child {
        private static final int KEPT_LINES = 40;

        final String name;
        final URI url;
        final Process process;
        private final Deque<String> tail = new ArrayDeque<>();

        Child(String name, URI url, Process process) {
            this.name = name;
            this.url = url;
            this.process = process;
        }

        void pump(Consumer<String> output) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (tail) {
                        if (tail.size() == KEPT_LINES) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                    }
                    output.accept("[" + name + "] " + line);
                }
            } catch (IOException e) {
                // the process ended and its output was closed under us: nothing more to read
            }
        }

        String lastLines() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }
    }
}
