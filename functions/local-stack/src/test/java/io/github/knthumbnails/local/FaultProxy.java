package io.github.knthumbnails.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A subscriber in front of the real resize function, for fault-injection tests: it forwards every CloudEvent
 * (binary content mode, so the key is the {@code ce-subject} header) to resize and relays the answer, except for
 * the one poisoned key, which it answers with a fixed status without forwarding. It counts the attempts per key.
 * Loopback only.
 */
final class FaultProxy implements AutoCloseable {

    /** Headers the JDK client sets itself or that describe this hop only. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI target;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private volatile String poisonedKey;
    private volatile int poisonStatus;

    private FaultProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param target the real subscriber's base URL, e.g. {@code http://127.0.0.1:8081/}
     * @return a running proxy; close it
     */
    static FaultProxy start(URI target) throws IOException {
        return new FaultProxy(target);
    }

    /** @return the proxy's base URL, for a Trigger's {@code subscriber.uri} */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** From now on, answers every event about {@code key} with {@code status} (an HTTP status) and forwards none. */
    void refuse(String key, int status) {
        poisonStatus = status;
        poisonedKey = key;
    }

    /** @return how many deliveries of an event about {@code key} (its {@code ce-subject}) the proxy received */
    int attempts(String key) {
        AtomicInteger count = attempts.get(key);
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String subject = exchange.getRequestHeaders().getFirst("ce-subject");
            if (subject != null) {
                attempts.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
                if (subject.equals(poisonedKey)) {
                    exchange.sendResponseHeaders(poisonStatus, -1);
                    return;
                }
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(90))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> forward.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            try {
                response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1); // resize down: the Broker retries, as with a cluster's 502
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
        } finally {
            exchange.close();
        }
    }

    /** Stops serving at once and releases the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
