package io.github.knthumbnails.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * A loopback OTLP/HTTP receiver for tests, standing in for an OpenTelemetry Collector: a JDK HTTP server on
 * 127.0.0.1 (any free port) that takes {@code POST /v1/traces} and {@code POST /v1/metrics} with
 * {@code Content-Type: application/x-protobuf}, gzip-compressed or not (OTLP specification, OTLP/HTTP), keeps
 * the spans and metric names, and answers {@code 200} with an empty {@code Export*ServiceResponse}. {@code POST
 * /v1/logs} is answered {@code 200} and dropped. Otherwise: {@code 404} for another path, {@code 405} for another
 * method, {@code 415} for another content type (OTLP/JSON), {@code 400} for a body that does not decode; each such
 * refusal is kept in {@link #refusals()}.
 *
 * <p>Point an OTel SDK or a function at it with {@code OTEL_EXPORTER_OTLP_ENDPOINT=}{@link #endpoint()}.
 * Thread-safe: exports may arrive while a test reads.
 */
public final class OtlpReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<OtlpData.Span> spans = new CopyOnWriteArrayList<>();
    private final List<OtlpData.Metric> metrics = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicInteger exports = new AtomicInteger();

    private OtlpReceiver(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts on a free port of 127.0.0.1.
     *
     * @return the running receiver; {@link #close()} it
     * @throws IOException if no port can be bound
     */
    public static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, task -> {
            Thread t = new Thread(task, "otlp-receiver-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        OtlpReceiver receiver = new OtlpReceiver(server, executor);
        server.createContext("/", receiver::handle);
        server.start();
        return receiver;
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:40123}: the value of {@code OTEL_EXPORTER_OTLP_ENDPOINT} */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @return every span received so far, in arrival order */
    public List<OtlpData.Span> spans() {
        return List.copyOf(spans);
    }

    /**
     * @param serviceName a resource's {@code service.name}, e.g. {@code resize}
     * @return the spans received from it so far, in arrival order
     */
    public List<OtlpData.Span> spans(String serviceName) {
        return spans.stream().filter(s -> s.serviceName().equals(serviceName)).toList();
    }

    /** @return the names of the metrics received so far, per {@code service.name}, sorted */
    public Map<String, Set<String>> metricNames() {
        return metrics.stream().collect(Collectors.groupingBy(OtlpData.Metric::serviceName, TreeMap::new,
                Collectors.mapping(OtlpData.Metric::name, Collectors.toCollection(TreeSet::new))));
    }

    /**
     * @param serviceName a resource's {@code service.name}
     * @return the names of the metrics it exported so far, sorted; empty if none
     */
    public Set<String> metricNames(String serviceName) {
        return metricNames().getOrDefault(serviceName, Set.of());
    }

    /** @return how many exports (trace, metric and log requests) were answered {@code 200} */
    public int exports() {
        return exports.get();
    }

    /** @return one line per refused request, e.g. {@code 415 POST /v1/traces: application/json} */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /**
     * Polls {@code condition} every 50 ms until it holds.
     *
     * @param condition what to wait for, evaluated on the calling thread
     * @param timeout   the longest wait
     * @param what      describes the condition for the failure message
     * @throws AssertionError on timeout, saying what was awaited and what was received ({@link #summary()})
     */
    public void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get()
                        + "; the OTLP receiver got:\n" + summary());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get(), e);
            }
        }
    }

    /** @return every span (one a line), the metric names per service and the refusals, for failure messages */
    public String summary() {
        StringBuilder text = new StringBuilder();
        spans.forEach(span -> text.append("  span ").append(span).append('\n'));
        metricNames().forEach((service, names) -> text.append("  metrics of ").append(service).append(": ")
                .append(names).append('\n'));
        refusals.forEach(refusal -> text.append("  refused ").append(refusal).append('\n'));
        return text.length() == 0 ? "  nothing\n" : text.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!List.of("/v1/traces", "/v1/metrics", "/v1/logs").contains(path)) {
                refuse(exchange, 404, "no such path");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                refuse(exchange, 405, "method not allowed");
                return;
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-protobuf")) {
                refuse(exchange, 415, "Content-Type " + type + ", only application/x-protobuf is taken");
                return;
            }
            byte[] body;
            try (InputStream raw = exchange.getRequestBody();
                 InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                         ? new GZIPInputStream(raw) : raw) {
                body = in.readAllBytes();
            }
            MessageLite answer;
            try {
                answer = switch (path) {
                    case "/v1/traces" -> {
                        spans.addAll(OtlpData.spans(ExportTraceServiceRequest.parseFrom(body)));
                        yield ExportTraceServiceResponse.getDefaultInstance();
                    }
                    case "/v1/metrics" -> {
                        metrics.addAll(OtlpData.metrics(ExportMetricsServiceRequest.parseFrom(body)));
                        yield ExportMetricsServiceResponse.getDefaultInstance();
                    }
                    default -> ExportLogsServiceResponse.getDefaultInstance();
                };
            } catch (InvalidProtocolBufferException e) {
                refuse(exchange, 400, "undecodable: " + e.getMessage());
                return;
            }
            exports.incrementAndGet();
            byte[] bytes = answer.toByteArray(); // empty: no partial_success
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException | RuntimeException e) {
            refusals.add("failed " + exchange.getRequestURI() + ": " + e);
            throw e;
        }
    }

    private void refuse(HttpExchange exchange, int status, String why) throws IOException {
        refusals.add(status + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + ": "
                + why);
        byte[] text = why.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, text.length);
        exchange.getResponseBody().write(text);
    }

    /** Stops answering at once. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
