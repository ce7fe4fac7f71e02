package io.github.knthumbnails.resize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import io.github.knthumbnails.testsupport.SharedTestData;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Resize's own wall time per job against the embedded S3 server (issue 9, part 3): not a test, compiled by
 * {@code ./mvnw verify}, run by hand. Every job is a new upload (its own key) of the same photo, processed to
 * {@code succeeded} with the default {@code RENDITIONS}; uploads are not timed. Prints, after a warm-up, the median
 * and p90 of the job's wall time and the S3 requests one job made.
 *
 * <pre>
 *   java -cp ... io.github.knthumbnails.resize.ResizeLatencyBench [service|http] [PHOTO] [JOBS]
 * </pre>
 * {@code service}: {@link ResizeService#handle} in this thread (storage and engine only). {@code http}: the whole
 * Spring Boot function in this JVM, one binary-mode CloudEvent POST at a time, as the Broker delivers; the time is
 * from sending the request to its {@code 200}. PHOTO defaults to the median-sized JPEG of the shared photos.
 */
public final class ResizeLatencyBench {

    private static final int WARM_UP = 100;

    private ResizeLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "service";
        Path photo = args.length > 1 && !args[1].isEmpty() ? Path.of(args[1]) : medianPhoto();
        int jobs = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        byte[] bytes = Files.readAllBytes(photo);
        try (S3TestServer s3 = new S3TestServer("images", "thumbnails")) {
            ObjectStore uploads = new ObjectStore(new S3Settings(s3.endpoint(), S3TestServer.CREDENTIAL,
                    S3TestServer.CREDENTIAL, "us-east-1"));
            Job job = mode.equals("http") ? httpJob(s3) : serviceJob(s3);
            List<Double> ms = new ArrayList<>();
            int requests = 0;
            for (int i = 0; i < WARM_UP + jobs; i++) {
                String key = "bench/" + i + "/" + photo.getFileName();
                uploads.put("images", key, bytes, "image/jpeg", Map.of());
                String eTag = uploads.stat("images", key).orElseThrow().eTag();
                s3.clearRequests();
                long start = System.nanoTime();
                job.run(key, eTag);
                double took = (System.nanoTime() - start) / 1e6;
                requests = s3.requests().size();
                if (i >= WARM_UP) {
                    ms.add(took);
                }
            }
            ms.sort(Comparator.naturalOrder());
            System.out.printf(Locale.ROOT, "photo=%s bytes=%d mode=%s jobs=%d%n", photo.getFileName(), bytes.length,
                    mode, jobs);
            System.out.printf(Locale.ROOT, "requests_per_job=%d median_ms=%.2f p90_ms=%.2f%n", requests,
                    ms.get(ms.size() / 2), ms.get(ms.size() * 9 / 10));
            job.close();
            TimedStore.print();
        }
    }

    /** One job; closes what it started. */
    private interface Job extends AutoCloseable {
        void run(String key, String eTag) throws Exception;

        @Override
        default void close() {
        }
    }

    private static Job serviceJob(S3TestServer s3) {
        ResizeSettings settings = ResizeSettings.from(Map.of("MINIO_ENDPOINT", s3.endpoint().toString())::get);
        ImageEngine engine = new ImageEngine(settings.image());
        ResizeService service = new ResizeService(settings, new TimedStore(settings.s3()),
                (source, specs, stages) -> TimedStore.time("render", () -> engine.render(source, specs, stages)));
        return (key, eTag) -> check(service.handle(TestEvents.put(key, eTag)) == ResizeService.Outcome.SUCCEEDED,
                key);
    }

    private static Job httpJob(S3TestServer s3) {
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ResizeApplication.class)
                .run("--server.port=0", "--MINIO_ENDPOINT=" + s3.endpoint());
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return new Job() {
            @Override
            public void run(String key, String eTag) throws Exception {
                check(TestEvents.post(port, TestEvents.put(key, eTag)).statusCode() == 200, key);
            }

            @Override
            public void close() {
                app.close();
            }
        };
    }

    private static void check(boolean ok, String key) {
        if (!ok) {
            throw new IllegalStateException(key + " did not succeed");
        }
    }

    /** Notes how long each storage call takes (service mode), to show where a job's time goes. */
    private static final class TimedStore extends ObjectStore {

        private static final Map<String, List<Double>> TIMES = new java.util.concurrent.ConcurrentHashMap<>();

        TimedStore(S3Settings settings) {
            super(settings);
        }

        interface Call<T, E extends Exception> {
            T call() throws E;
        }

        static <T, E extends Exception> T time(String name, Call<T, E> call) throws E {
            long start = System.nanoTime();
            try {
                return call.call();
            } finally {
                TIMES.computeIfAbsent(name, n -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add((System.nanoTime() - start) / 1e6);
            }
        }

        static void print() {
            TIMES.forEach((name, list) -> {
                List<Double> sorted = new ArrayList<>(list);
                sorted.sort(Comparator.naturalOrder());
                System.out.printf(Locale.ROOT, "  %-8s calls=%d median_ms=%.2f%n", name, sorted.size(),
                        sorted.get(sorted.size() / 2));
            });
        }

        @Override
        public java.util.Optional<io.github.knthumbnails.storage.ObjectInfo> stat(String bucket, String key) {
            return time("HEAD", () -> super.stat(bucket, key));
        }

        @Override
        public java.util.Optional<byte[]> getIfMatch(String bucket, String key, String eTag, long maxBytes) {
            return time("GET", () -> super.getIfMatch(bucket, key, eTag, maxBytes));
        }

        @Override
        public void put(String bucket, String key, byte[] body, String contentType, Map<String, String> metadata) {
            time("PUT " + (body.length == 0 ? "rec" : "img"), () -> {
                super.put(bucket, key, body, contentType, metadata);
                return null;
            });
        }
    }

    private static Path medianPhoto() throws Exception {
        Path dir = SharedTestData.root().resolve("testdata/photos");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> jpegs = files.filter(p -> p.toString().endsWith(".jpg"))
                    .sorted(Comparator.comparingLong(p -> p.toFile().length())).toList();
            return jpegs.get(jpegs.size() / 2);
        }
    }
}
