package io.github.knthumbnails.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.telemetry.CloudEventTracing;
import io.github.knthumbnails.telemetry.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * Sends CloudEvents to the sink in binary content mode with the JDK HTTP client.
 *
 * <p>The request timeout is 50 s, under the 60 s MinIO waits for response headers ({@code ResponseHeaderTimeout}
 * in minio/minio {@code internal/http/transports.go}), so a slow sink fails this request before MinIO gives up on
 * ours.
 *
 * <p>Each send is a PRODUCER span {@code send} (OpenTelemetry messaging and CloudEvents semantic conventions), whose
 * context the event carries in its {@code traceparent} extension, around a CLIENT span {@code POST}, whose context
 * the request carries in its HTTP {@code traceparent} header (W3C Trace Context), as a Knative Broker expects
 * (issue 11).
 */
class SinkClient {

    static final Duration TIMEOUT = Duration.ofSeconds(50);
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final URI sink;
    private final HttpClient http;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    /**
     * @param sink          where events go ({@code K_SINK})
     * @param openTelemetry the SDK the spans are made with, and its propagator for the HTTP headers
     */
    SinkClient(URI sink, OpenTelemetry openTelemetry) {
        this.sink = sink;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.tracer = Telemetry.tracer(openTelemetry);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /**
     * @param event the event
     * @throws SinkException if the sink does not answer 2xx in time
     */
    void send(CloudEvent event) {
        Span producer = CloudEventTracing.describe(tracer.spanBuilder("send").setSpanKind(SpanKind.PRODUCER),
                "send", event).setAttribute(DESTINATION, sink.getHost()).startSpan();
        try (Scope ignored = producer.makeCurrent()) {
            post(CloudEventTracing.withTraceContext(event, Context.current()));
        } catch (SinkException e) {
            producer.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            producer.end();
        }
    }

    private void post(CloudEvent event) {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        Span client = tracer.spanBuilder("POST").setSpanKind(SpanKind.CLIENT).setAttribute(METHOD, "POST")
                .setAttribute(URL, sink.toString()).startSpan();
        try (Scope ignored = client.makeCurrent()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
            message.headers().forEach(request::header);
            propagator.inject(Context.current(), request, HttpRequest.Builder::header);
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new SinkException("sink " + sink + " unreachable: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SinkException("interrupted while sending to " + sink, e);
            }
            client.setAttribute(STATUS, (long) response.statusCode());
            if (response.statusCode() / 100 != 2) {
                String body = response.body().length() > 200 ? response.body().substring(0, 200) + "…"
                        : response.body();
                throw new SinkException("sink " + sink + " answered " + response.statusCode() + ": " + body, null);
            }
        } catch (SinkException e) {
            client.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            client.end();
        }
    }

    /** The sink did not accept an event; MinIO should retry the notification. */
    static class SinkException extends RuntimeException {
        SinkException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
