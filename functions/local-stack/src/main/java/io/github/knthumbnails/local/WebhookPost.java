package io.github.knthumbnails.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.knthumbnails.events.MinioWebhookAuth;

/**
 * One webhook delivery attempt as MinIO makes it ({@code internal/event/target/webhook.go}): {@code POST
 * <endpoint>}, {@code Content-Type: application/json}, HTTP/1.1, 5 s connect timeout, and the
 * {@code Authorization} header {@link MinioWebhookAuth} derives from the {@code auth_token}; then what the
 * answer means for the queued event. Thread-safe.
 */
final class WebhookPost {

    /** What a delivery attempt means for the event. */
    enum Verdict {
        /** Any 2xx: the event is delivered and leaves the queue. */
        DELIVERED,
        /**
         * A 4xx other than 408 and 429: the receiver says the event itself is wrong, so retrying it would block
         * every later event for ever (issue 8, finding 11; MinIO itself retries it).
         */
        REFUSED,
        /** A 5xx, 408, 429, any other status or a network error: the event stays and is tried again. */
        RETRY
    }

    /**
     * @param verdict what to do with the event
     * @param status  the HTTP status, 0 when no answer came
     * @param detail  for {@link Verdict#RETRY} why it failed; for {@link Verdict#REFUSED} the start of the
     *                answer (at most {@value #BODY_START_BYTES} bytes, as UTF-8); else empty
     */
    record Outcome(Verdict verdict, int status, String detail) {
    }

    /** How much of an answer is kept for the log. */
    static final int BODY_START_BYTES = 300;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final URI endpoint;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;

    /**
     * @param endpoint       absolute http(s) URL to POST to
     * @param authToken      MinIO's {@code auth_token}, or {@code null} for none
     * @param requestTimeout how long one POST may take until the response headers arrive
     */
    WebhookPost(URI endpoint, String authToken, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.authorization = MinioWebhookAuth.authorizationHeader(authToken);
        this.requestTimeout = requestTimeout;
        // MinIO's webhook transport disables HTTP/2 (cmd/utils.go NewHTTPTransport); dial timeout 5 s.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /**
     * POSTs one body and classifies the answer. An interrupt of the calling thread aborts the POST; the thread's
     * interrupt flag is then set again and the outcome is {@link Verdict#RETRY} ("interrupted").
     *
     * @param body the complete POST body
     * @return the outcome; never throws for a failed attempt
     */
    Outcome send(byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        int status;
        String answer;
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                answer = new String(in.readNBytes(BODY_START_BYTES), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return new Outcome(Verdict.RETRY, 0,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Verdict.RETRY, 0, "interrupted");
        }
        if (status >= 400 && status <= 499 && status != 408 && status != 429) {
            return new Outcome(Verdict.REFUSED, status, answer);
        }
        if (status < 200 || status > 299) {
            return new Outcome(Verdict.RETRY, status, "HTTP " + status);
        }
        return new Outcome(Verdict.DELIVERED, status, "");
    }
}
