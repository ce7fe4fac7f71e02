package io.github.knthumbnails.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;

/**
 * Sends CloudEvents to the sink in binary content mode with the JDK HTTP client.
 *
 * <p>The request timeout is 50 s, under the 60 s MinIO waits for response headers ({@code ResponseHeaderTimeout}
 * in minio/minio {@code internal/http/transports.go}), so a slow sink fails this request before MinIO gives up on
 * ours.
 */
class SinkClient {

    static final Duration TIMEOUT = Duration.ofSeconds(50);

    private final URI sink;
    private final HttpClient http;

    SinkClient(URI sink) {
        this.sink = sink;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * @param event the event
     * @throws SinkException if the sink does not answer 2xx in time
     */
    void send(CloudEvent event) {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SinkException("sink " + sink + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while sending to " + sink, e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body().length() > 200 ? response.body().substring(0, 200) + "…" : response.body();
            throw new SinkException("sink " + sink + " answered " + response.statusCode() + ": " + body, null);
        }
    }

    /** The sink did not accept an event; MinIO should retry the notification. */
    static class SinkException extends RuntimeException {
        SinkException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
