package io.github.knthumbnails.resize;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;

/**
 * Peak memory of the real resize process rendering several images at once (issue 9, part 4: the local stack
 * sends up to {@code availableProcessors()} events at a time): not a test, compiled by {@code ./mvnw verify}, run
 * by hand, Linux only ({@code /proc}). It starts an embedded S3 server, uploads the files, starts
 * {@code java OPTIONS -jar resize.jar} as a child process, POSTs one event per file all at once, waits for every
 * answer and prints each job's outcome and the child's peak RSS ({@code VmHWM}) and the RSS when it was ready.
 *
 * <pre>
 *   java -cp ... io.github.knthumbnails.resize.ConcurrentMemoryBench RESIZE_JAR "JVM OPTIONS" FILE...
 * </pre>
 * Generate the worst admitted inputs with {@code io.github.knthumbnails.image.WorstCaseBench generate DIR}.
 */
public final class ConcurrentMemoryBench {

    private ConcurrentMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        try (S3TestServer s3 = new S3TestServer("images", "thumbnails")) {
            ObjectStore store = new ObjectStore(new S3Settings(s3.endpoint(), S3TestServer.CREDENTIAL,
                    S3TestServer.CREDENTIAL, "us-east-1"));
            List<String> keys = new ArrayList<>();
            List<String> eTags = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                String key = "mem/" + i + "/" + Path.of(args[i]).getFileName();
                store.put("images", key, Files.readAllBytes(Path.of(args[i])), "application/octet-stream", Map.of());
                keys.add(key);
                eTags.add(store.stat("images", key).orElseThrow().eTag());
            }
            int port = freePort();
            List<String> command = new ArrayList<>(List.of("java"));
            command.addAll(Arrays.asList(args[1].trim().split("\\s+")));
            command.addAll(List.of("-jar", args[0]));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "resize-memory-bench.log").toFile());
            builder.environment().put("MINIO_ENDPOINT", s3.endpoint().toString());
            builder.environment().put("PORT", Integer.toString(port));
            Process resize = builder.start();
            try {
                awaitReady(port);
                long readyKb = kb(resize.pid(), "VmRSS");
                List<CompletableFuture<Integer>> answers = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < keys.size(); i++) {
                    String key = keys.get(i);
                    String eTag = eTags.get(i);
                    answers.add(CompletableFuture.supplyAsync(() -> post(port, key, eTag)));
                }
                JobStore jobs = new JobStore(store, "thumbnails");
                for (int i = 0; i < keys.size(); i++) {
                    int status = answers.get(i).join();
                    System.out.printf(Locale.ROOT, "file=%s http=%d job=%s%n", keys.get(i), status,
                            jobs.read("images", keys.get(i)).map(r -> r.state().wireName()
                                    + (r.error() == null ? "" : " " + r.error().errorClass())).orElse("none"));
                }
                System.out.printf(Locale.ROOT, "options=%s concurrent=%d ready_rss_mb=%d peak_rss_mb=%d s=%.1f%n",
                        args[1], keys.size(), readyKb / 1024, kb(resize.pid(), "VmHWM") / 1024,
                        (System.nanoTime() - start) / 1e9);
            } finally {
                resize.destroy();
                resize.waitFor();
            }
        }
    }

    private static int post(int port, String key, String eTag) {
        try {
            return TestEvents.post(port, TestEvents.put(key, eTag)).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitReady(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("resize was not ready within 120 s");
    }

    private static long kb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException(field + " not in /proc/" + pid + "/status");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
