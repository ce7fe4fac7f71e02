package io.github.knthumbnails.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/** A webhook receiver for tests: records every request and answers with a status the test chooses. */
final class RecordingReceiver implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DEADLINE = Duration.ofSeconds(15);

    /** One request as received. */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        String eventName() {
            return json().path("EventName").asText();
        }

        String topLevelKey() {
            return json().path("Key").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<CountDownLatch> gate = new AtomicReference<>();

    private RecordingReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts on a free port. */
    static RecordingReceiver start() throws IOException {
        return start(0);
    }

    /** Starts on the given port, retrying a few times if it is still in use (used to "restart" a receiver). */
    static RecordingReceiver start(int port) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                ExecutorService executor = Executors.newCachedThreadPool();
                server.setExecutor(executor);
                RecordingReceiver receiver = new RecordingReceiver(server, executor);
                server.createContext("/", exchange -> {
                    byte[] body;
                    try (InputStream in = exchange.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    receiver.attempts.incrementAndGet();
                    CountDownLatch latch = receiver.gate.get();
                    if (latch != null) {
                        try {
                            latch.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    int code = receiver.status.get();
                    if (code >= 200 && code <= 299) {
                        receiver.received.add(new Received(exchange.getRequestMethod(),
                                exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
                    }
                    exchange.sendResponseHeaders(code, -1);
                    exchange.close();
                });
                server.start();
                return receiver;
            } catch (BindException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(50);
            }
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/minio/webhook");
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Requests answered with a 2xx, in arrival order. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** Every request, whatever it was answered with. */
    int attempts() {
        return attempts.get();
    }

    void answerWith(int code) {
        status.set(code);
    }

    /** Makes requests wait until {@link #release()}. */
    void hold() {
        gate.set(new CountDownLatch(1));
    }

    void release() {
        CountDownLatch latch = gate.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Waits until at least {@code count} requests were accepted, and returns them all. */
    List<Received> awaitReceived(int count) {
        awaitTrue(() -> received.size() >= count, "at least " + count + " accepted request(s), got " + received);
        return received();
    }

    /** Waits until a received request has the given top-level {@code Key} (the "marker" put of a test). */
    List<Received> awaitKey(String bucketAndKey) {
        awaitTrue(() -> received.stream().anyMatch(r -> r.topLevelKey().equals(bucketAndKey)),
                "a request for " + bucketAndKey);
        return received();
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
