package io.github.knthumbnails.local;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import io.github.knthumbnails.events.Buckets;

/**
 * {@code scripts/run-local.sh}: starts the {@link LocalStack} from environment variables, prints how to use it,
 * and runs until Ctrl-C.
 *
 * <p>Variables (all optional): {@code LOCAL_DATA_DIR} (default {@code .local-data}), {@code LOCAL_S3_PORT} (9000),
 * {@code LOCAL_SOURCE_PORT} (8080), {@code LOCAL_RESIZE_PORT} (8081), {@code LOCAL_STATUS_PORT} (8082),
 * {@code LOCAL_BROKER_PORT} (8083), {@code LOCAL_CONCURRENCY} (events in flight to resize; the number of processors),
 * {@code MINIO_ACCESS_KEY} / {@code MINIO_SECRET_KEY} ({@code minioadmin}), {@code WEBHOOK_AUTH_TOKEN} (random),
 * {@code UPLOAD_BUCKETS}, {@code THUMBNAILS_BUCKET}, and {@code MINIO_ENDPOINT} to use an existing MinIO instead of
 * the embedded server. Every other variable (e.g. {@code RENDITIONS}) reaches the functions unchanged. The
 * {@code thumbnails.functions} system property names the repository's {@code functions/} folder.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    /**
     * @param args ignored
     * @throws Exception if the stack cannot start; the message says why
     */
    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        // The S3 server and notifier log through java.util.logging: one line each, like the functions' output.
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s [local-stack] %5$s%6$s%n");
        LocalStack.Config config = config(System::getenv,
                Path.of(System.getProperty("thumbnails.functions", "functions")));
        LocalStack stack;
        try {
            stack = LocalStack.start(config, System.out::println);
        } catch (Exception e) {
            System.err.println("The local stack did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping...");
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.println(banner(config, stack, (System.nanoTime() - started) / 1_000_000));
        stopped.await();
    }

    static LocalStack.Config config(Function<String, String> env, Path functionsDir) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("minio-source", port(env, "LOCAL_SOURCE_PORT", 8080));
        ports.put("resize", port(env, "LOCAL_RESIZE_PORT", 8081));
        ports.put("status", port(env, "LOCAL_STATUS_PORT", 8082));
        ports.put("broker", port(env, "LOCAL_BROKER_PORT", 8083));
        String concurrency = or(env.apply("LOCAL_CONCURRENCY"), "0");
        if (!concurrency.matches("\\d{1,4}")) {
            throw new IllegalArgumentException("LOCAL_CONCURRENCY must be a number of events (1-9999; 0 or unset for"
                    + " the number of processors), got '" + concurrency + "'");
        }
        String token = env.apply("WEBHOOK_AUTH_TOKEN");
        if (token == null || token.isBlank()) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            token = HexFormat.of().formatHex(random);
        }
        String external = env.apply("MINIO_ENDPOINT");
        return new LocalStack.Config(Path.of(or(env.apply("LOCAL_DATA_DIR"), ".local-data")).toAbsolutePath(),
                functionsDir.toAbsolutePath(), port(env, "LOCAL_S3_PORT", 9000), ports,
                or(env.apply("MINIO_ACCESS_KEY"), EmbeddedS3.DEFAULT_ACCESS_KEY),
                or(env.apply("MINIO_SECRET_KEY"), EmbeddedS3.DEFAULT_SECRET_KEY), Buckets.from(env), token.strip(),
                external == null || external.isBlank() ? null : URI.create(external.strip()), Map.of(), null,
                Integer.parseInt(concurrency));
    }

    static String banner(LocalStack.Config config, LocalStack stack, long startMillis) {
        String s3 = stack.s3Endpoint().toString();
        String upload = config.buckets().upload().iterator().next();
        String status = stack.url("status").toString();
        // The default secret is public knowledge (MinIO's too); a chosen one is not echoed.
        String secret = EmbeddedS3.DEFAULT_SECRET_KEY.equals(config.secretKey()) ? config.secretKey() : "<secret key>";
        StringBuilder b = new StringBuilder();
        b.append("\nThe thumbnail pipeline is running (started in ").append(startMillis).append(" ms).")
                .append(" Ctrl-C stops it").append(config.externalS3() == null
                        ? "; objects and queued events stay in " + config.dataDir() + "." : ".").append("\n\n");
        b.append(String.format("  S3 API        %s  (access key %s)%n", s3, config.accessKey()));
        b.append(String.format("  buckets       upload: %s -> thumbnails: %s%n", String.join(", ",
                config.buckets().upload()), config.buckets().thumbnails()));
        b.append(String.format("  minio-source  %s  (K_SINK = %s)%n", stack.url("minio-source"), stack.broker().uri()));
        b.append(String.format("  broker        %s  (Trigger %s: %d in flight to resize)%n", stack.broker().uri(),
                stack.broker().triggerName(), stack.broker().concurrency()));
        b.append(String.format("  resize        %s%n", stack.url("resize")));
        b.append(String.format("  status        %s  (the page: open it in a browser)%n%n", status));
        if (config.externalS3() != null) {
            b.append("Using the MinIO at ").append(s3).append(". Point its webhook at the minio-source:\n")
                    .append("  mc admin config set ALIAS notify_webhook:thumbnails endpoint=")
                    .append("http://<this host>:").append(stack.url("minio-source").getPort())
                    .append("/ auth_token=<WEBHOOK_AUTH_TOKEN>\n")
                    .append("  mc admin service restart ALIAS\n")
                    .append("  mc event add ALIAS/").append(upload).append(" arn:minio:sqs::thumbnails:webhook")
                    .append(" --event put\n\n");
        }
        b.append("Open ").append(status).append(" and drop a photo on the page, or upload one:\n")
                .append("  mc alias set local ").append(s3).append(' ').append(config.accessKey()).append(' ')
                .append(secret).append('\n')
                .append("  mc cp photo.jpg local/").append(upload).append("/photo.jpg\n")
                .append("or\n")
                .append("  AWS_ACCESS_KEY_ID=").append(config.accessKey()).append(" AWS_SECRET_ACCESS_KEY=").append(secret)
                .append(" aws --endpoint-url ").append(s3).append(" s3 cp photo.jpg s3://").append(upload)
                .append("/photo.jpg\n\n")
                .append("Ask what happened to it:\n")
                .append("  curl ").append(status).append("status/").append(upload).append("/photo.jpg\n")
                .append("  curl '").append(status).append("jobs?bucket=").append(upload).append("'\n");
        return b.toString();
    }

    /**
     * @param env      the environment
     * @param name     the variable, e.g. {@code LOCAL_S3_PORT}
     * @param fallback the port when it is unset or blank
     * @return the port it names
     * @throws IllegalArgumentException naming the variable, if it is not a number
     */
    public static int port(Function<String, String> env, String name, int fallback) {
        String value = env.apply(name);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + value + "'", e);
        }
    }

    /**
     * @param value    a variable's value, maybe {@code null}
     * @param fallback what an unset or blank value means
     * @return the stripped value, or the fallback
     */
    public static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
