package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A CloudEvent sink on 127.0.0.1 (the JDK's HTTP server) standing in for the Broker the minio-source forwards to:
 * it answers {@code 202} and records the headers of every request.
 */
public final class Sink implements AutoCloseable {

    private final HttpServer server;
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();

    /**
     * Starts the sink on a free port.
     *
     * @throws UncheckedIOException if it cannot listen
     */
    public Sink() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            exchange.getRequestBody().readAllBytes();
            received.add(headers);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }

    /** @return the URL to give the minio-source as {@code K_SINK} */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /**
     * @param subject a {@code ce-subject} header value as sent (percent-encoded)
     * @return whether an event with that subject arrived
     */
    public boolean receivedSubject(String subject) {
        return received.stream().anyMatch(h -> subject.equals(h.get("ce-subject")));
    }

    /** @return how many requests arrived so far */
    public int count() {
        return received.size();
    }

    /** Stops the sink. */
    @Override
    public void close() {
        server.stop(0);
    }
}
