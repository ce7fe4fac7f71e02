package io.github.knthumbnails.local.broker;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.Headers;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * The W3C trace-context and baggage HTTP headers an event came in with ({@code traceparent}, {@code tracestate},
 * {@code baggage}), which the Broker sends on with the event to the subscriber and the dead-letter sink. Knative's
 * broker ingress and filter do the same through otelhttp, whose W3C TraceContext and Baggage propagators are
 * installed even with tracing off (shared/docs/observability.md), so a trace started in the minio-source goes on
 * in resize.
 *
 * <p>These are HTTP headers, not the CloudEvent's own {@code traceparent} extension ({@code ce-traceparent}, the
 * distributed-tracing extension), which travels with the event anyway. In the queue ({@link EventFiles}) they are
 * kept as extensions of the stored event named {@value #PREFIX}{@code <header>}, taken off again when the event
 * is loaded, so a stored file is still a plain structured CloudEvent and one written before this had none. (An
 * event that came with such extensions of its own would have them sent as headers; no producer here sets any.)
 *
 * @param values header name (lower case, one of {@link #NAMES}) to its value; empty when the event came without
 */
record TraceHeaders(Map<String, String> values) {

    /** The headers carried, in lower case. */
    static final List<String> NAMES = List.of("traceparent", "tracestate", "baggage");

    /** The prefix of the stored extensions: {@code localhttptraceparent}, {@code localhttptracestate}, ... */
    static final String PREFIX = "localhttp";

    /** No headers. */
    static final TraceHeaders NONE = new TraceHeaders(Map.of());

    /** Copies the map. */
    TraceHeaders {
        values = Map.copyOf(values);
    }

    /**
     * @param headers an incoming request's headers (names matched case-insensitively)
     * @return the trace headers among them, each one's first value
     */
    static TraceHeaders of(Headers headers) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = headers.getFirst(name); // Headers' keys are case-insensitive
            if (value != null && !value.isBlank()) {
                found.put(name, value);
            }
        }
        return found.isEmpty() ? NONE : new TraceHeaders(found);
    }

    /**
     * @param event an event to store
     * @return the event with these headers added as {@value #PREFIX}{@code <name>} extensions
     */
    CloudEvent addTo(CloudEvent event) {
        if (values.isEmpty()) {
            return event;
        }
        CloudEventBuilder builder = CloudEventBuilder.v1(event);
        values.forEach((name, value) -> builder.withExtension(PREFIX + name, value));
        return builder.build();
    }

    /**
     * A stored event split back into the event as it came in and its headers.
     *
     * @param event   the event without the {@value #PREFIX} extensions
     * @param headers the headers they held
     */
    record Stored(CloudEvent event, TraceHeaders headers) {
    }

    /**
     * @param stored an event as read from the queue
     * @return it without the {@value #PREFIX} extensions, and the headers they held
     */
    static Stored takeFrom(CloudEvent stored) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String name : NAMES) {
            Object value = stored.getExtension(PREFIX + name);
            if (value != null) {
                found.put(name, value.toString());
            }
        }
        if (found.isEmpty()) {
            return new Stored(stored, NONE);
        }
        CloudEventBuilder builder = CloudEventBuilder.v1(stored);
        found.keySet().forEach(name -> builder.withoutExtension(PREFIX + name));
        return new Stored(builder.build(), new TraceHeaders(found));
    }
}
