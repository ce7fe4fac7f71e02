package io.github.knthumbnails.local.broker;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;

/**
 * One delivery attempt: a POST of a CloudEvent in binary content mode (cloudevents/spec HTTP binding §3.1, with
 * {@code Prefer: reply} as Knative's dispatcher sends it, and the trace headers the event came in with,
 * {@link TraceHeaders}) with the JDK HTTP client, HTTP/1.1. Blocks the calling
 * thread for the attempt, which is what bounds the requests in flight to the dispatcher's threads. Thread-safe.
 *
 * <p>Of the answer only the status and the first {@value #KEPT_BODY_BYTES} bytes of the body are kept (the rest
 * is read and dropped): the part of it that fits Knative's {@code knativeerrordata} cap of 1024 base64
 * characters ({@code pkg/kncloudevents/attributes/knative_error.go}). A reply event in a 2xx answer is not
 * published back into the Broker, unlike Knative; the resize function never sends one.
 */
final class Sender {

    /** How much of an answer's body is kept: 768 bytes, 1024 characters in base64. */
    static final int KEPT_BODY_BYTES = 768;

    /**
     * What one attempt got.
     *
     * @param status the HTTP status, {@code -1} when there was no response (refused, reset, timed out)
     * @param body   the start of the response body, or for no response what went wrong
     */
    record Outcome(int status, byte[] body) {

        /** @return {@code true} for a 2xx answer */
        boolean ok() {
            return status >= 200 && status <= 299;
        }

        /** @return {@code true} if Knative retries this outcome ({@link DeliverySpec#retryable}) */
        boolean retryable() {
            return !ok() && DeliverySpec.retryable(status);
        }

        /** @return e.g. {@code HTTP 503: storage down} or {@code no response: connection refused} */
        String describe() {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            if (text.length() > 120) {
                text = text.substring(0, 120) + "…";
            }
            return status < 0 ? "no response: " + text : "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
        }
    }

    private final HttpClient http;

    /**
     * @param executor runs the HTTP client's own tasks (reading answers); the caller shuts it down
     */
    Sender(ExecutorService executor) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Sends one event and waits for the answer.
     *
     * @param target  the URL to POST to
     * @param event   the event
     * @param trace   the trace headers the event came in with, sent as they were
     * @param timeout the limit of the whole exchange, {@code null} for none
     * @return the outcome; never throws for a network failure
     */
    Outcome send(URI target, CloudEvent event, TraceHeaders trace, Duration timeout) {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(target).header("Prefer", "reply")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        trace.values().forEach(request::header);
        if (timeout != null) {
            request.timeout(timeout);
        }
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        CompletableFuture<HttpResponse<Void>> exchange = http.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofByteArrayConsumer((Optional<byte[]> chunk) -> chunk.ifPresent(bytes -> {
                    int room = KEPT_BODY_BYTES - kept.size();
                    kept.write(bytes, 0, Math.min(room, bytes.length));
                })));
        try {
            HttpResponse<Void> response = timeout == null ? exchange.get()
                    : exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Outcome(response.statusCode(), kept.toByteArray());
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return failure("timed out after " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException && !(e.getCause() instanceof HttpConnectTimeoutException)
                    && timeout != null) {
                return failure("timed out after " + timeout.toMillis() + " ms"); // the client's own timer won
            }
            return failure(describe(e.getCause() == null ? e : e.getCause()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return failure("interrupted (the Broker is stopping)");
        }
    }

    /** E.g. {@code java.net.ConnectException: Connection refused}, from the first cause that says something. */
    private static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getName() + ": " + t.getMessage();
            }
        }
        return error.getClass().getName();
    }

    private static Outcome failure(String what) {
        return new Outcome(-1, what.getBytes(StandardCharsets.UTF_8));
    }
}
