package io.github.knthumbnails.local.broker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.MalformedEventException;

/**
 * The Broker's ingress: {@code POST /} on 127.0.0.1 with one CloudEvent, binary or structured content mode
 * (knative/specs {@code specs/eventing/data-plane.md}: receivers accept both), served by the JDK's
 * {@code com.sun.net.httpserver} (no extra dependency, a handful of threads; the knative broker-ingress
 * answers the same way, {@code pkg/broker/ingress/ingress_handler.go}). The request's {@code traceparent},
 * {@code tracestate} and {@code baggage} headers are stored with the event and sent on with it
 * ({@link TraceHeaders}).
 *
 * <p>Answers:
 * <ul>
 *   <li>{@code 202}, empty body: the event is on disk (fsynced, renamed, directory fsynced), or the Trigger's
 *       filter drops it (a Broker accepts events no Trigger wants);</li>
 *   <li>{@code 400} {@code {"error"}}: not a CloudEvent, saying what is wrong;</li>
 *   <li>{@code 413}: a body over the limit, answered from {@code Content-Length} before reading it, or once the
 *       limit is passed for a chunked body;</li>
 *   <li>{@code 404} for another path, {@code 405} (with {@code Allow: POST}) for another method;</li>
 *   <li>{@code 503}: the event could not be stored; the sender should retry (the minio-source then answers MinIO
 *       with an error, and MinIO's queue keeps the notification).</li>
 * </ul>
 */
final class Ingress implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService executor;
    private final EventFilter filter;
    private final EventFiles files;
    private final Dispatcher dispatcher;
    private final long maxBodyBytes;
    private final AtomicLong filteredOut = new AtomicLong();

    private Ingress(HttpServer server, ExecutorService executor, EventFilter filter, EventFiles files,
                    Dispatcher dispatcher, long maxBodyBytes) {
        this.server = server;
        this.executor = executor;
        this.filter = filter;
        this.files = files;
        this.dispatcher = dispatcher;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Binds 127.0.0.1 and starts answering.
     *
     * @param port         the port, 0 for any free one
     * @param filter       the Trigger's filter
     * @param files        where accepted events are stored
     * @param dispatcher   what delivers them
     * @param maxBodyBytes the largest body accepted, in bytes
     * @return the running ingress
     * @throws IOException if the port cannot be bound
     */
    static Ingress start(int port, EventFilter filter, EventFiles files, Dispatcher dispatcher, long maxBodyBytes)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread t = new Thread(task, "broker-ingress-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        Ingress ingress = new Ingress(server, executor, filter, files, dispatcher, maxBodyBytes);
        server.createContext("/", ingress::handle);
        server.start();
        return ingress;
    }

    /** @return e.g. {@code http://127.0.0.1:40123/} */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** @return events accepted and dropped because the Trigger's filter does not pass them */
    long filteredOut() {
        return filteredOut.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!"/".equals(exchange.getRequestURI().getPath())) {
                error(exchange, 404, "no such path: the Broker takes events at POST /");
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                error(exchange, 405, "method " + exchange.getRequestMethod() + " not allowed: POST a CloudEvent");
                return;
            }
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = declared != null && parseLong(declared) > maxBodyBytes ? null
                        : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            }
            if (body == null || body.length > maxBodyBytes) {
                error(exchange, 413, "the body is over the limit of " + maxBodyBytes + " bytes");
                return;
            }
            CloudEvent event;
            try {
                event = CloudEventHttp.read(forEach -> exchange.getRequestHeaders().forEach((name, values) ->
                        values.forEach(v -> forEach.accept(name.toLowerCase(Locale.ROOT), v))), body);
            } catch (MalformedEventException e) {
                error(exchange, 400, e.getMessage());
                return;
            }
            if (!filter.passes(event)) {
                filteredOut.incrementAndGet();
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            TraceHeaders trace = TraceHeaders.of(exchange.getRequestHeaders());
            Path file;
            try {
                file = files.store(event, trace);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not store event " + event.getId() + " in " + files.dir()
                        + "; answered 503", e);
                error(exchange, 503, "the Broker could not store the event: " + e.getMessage());
                return;
            }
            dispatcher.submit(file, event, trace); // before the answer, so that pendingCount() counts it by then
            exchange.sendResponseHeaders(202, -1);
        } finally {
            exchange.close();
        }
    }

    private static long parseLong(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1; // the server itself refuses a malformed Content-Length before this handler runs
        }
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        exchange.getResponseHeaders().put("Content-Type", List.of("application/json"));
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }

    /** Stops answering at once; requests being answered are cut off (their events, if stored, stay). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
