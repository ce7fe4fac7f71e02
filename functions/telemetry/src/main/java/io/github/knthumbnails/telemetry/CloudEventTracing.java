package io.github.knthumbnails.telemetry;

import java.util.ArrayList;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The CloudEvents distributed-tracing extension (cloudevents/spec {@code cloudevents/extensions/distributed-tracing.md}):
 * {@code traceparent} and {@code tracestate} attributes in W3C Trace Context form (W3C Recommendation "Trace Context",
 * §3.2 and §3.3) that carry the context in which the event was <em>produced</em>. They travel beside, and do not
 * replace, the HTTP {@code traceparent} header of each hop. Also the span attributes of the OpenTelemetry semantic
 * conventions for CloudEvents ({@code semantic-conventions/docs/cloudevents/cloudevents-spans.md}).
 */
public final class CloudEventTracing {

    /** Extension attribute names (lower-case, as CloudEvents attribute names must be). */
    public static final String TRACEPARENT = "traceparent";
    /** See {@link #TRACEPARENT}. */
    public static final String TRACESTATE = "tracestate";

    static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("cloudevents.event_id");
    static final AttributeKey<String> EVENT_SOURCE = AttributeKey.stringKey("cloudevents.event_source");
    static final AttributeKey<String> EVENT_SPEC_VERSION = AttributeKey.stringKey("cloudevents.event_spec_version");
    static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("cloudevents.event_type");
    static final AttributeKey<String> EVENT_SUBJECT = AttributeKey.stringKey("cloudevents.event_subject");
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");

    private static final TextMapGetter<CloudEvent> EXTENSIONS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(CloudEvent event) {
            return new ArrayList<>(event.getExtensionNames());
        }

        @Override
        public String get(CloudEvent event, String key) {
            Object value = event == null ? null : event.getExtension(key);
            return value == null ? null : value.toString();
        }
    };

    private CloudEventTracing() {
    }

    /**
     * @param event   an event about to be sent
     * @param context the context it is produced in (the PRODUCER span's)
     * @return the event with {@code traceparent} (and {@code tracestate}, when there is one) set to that context;
     *         the event itself when the context has no valid span
     */
    public static CloudEvent withTraceContext(CloudEvent event, Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return event;
        }
        CloudEventBuilder builder = CloudEventBuilder.v1(event);
        W3CTraceContextPropagator.getInstance().inject(context, builder, (b, key, value) -> b.withExtension(key,
                value));
        return builder.build();
    }

    /**
     * @param event a received event
     * @return the context it was produced in, from its {@code traceparent}; invalid when the attribute is absent or
     *         malformed (a forged value is never an error, it only loses the link)
     */
    public static SpanContext producedIn(CloudEvent event) {
        Context extracted = W3CTraceContextPropagator.getInstance().extract(Context.root(), event, EXTENSIONS);
        return Span.fromContext(extracted).getSpanContext();
    }

    /**
     * The CONSUMER span {@code process} of a received event: its messaging and CloudEvents attributes, and a link to
     * the context the event was produced in when its {@code traceparent} is valid (semantic conventions: the
     * HTTP request is the parent, the producer is linked).
     *
     * @param tracer makes the span
     * @param event  the received event
     * @return the span, not started
     */
    public static SpanBuilder process(Tracer tracer, CloudEvent event) {
        SpanBuilder span = describe(tracer.spanBuilder("process").setSpanKind(SpanKind.CONSUMER), "process", event);
        SpanContext producedIn = producedIn(event);
        if (producedIn.isValid()) {
            span.addLink(producedIn);
        }
        return span;
    }

    /**
     * Sets the messaging and CloudEvents attributes of a span about one event.
     *
     * @param span      the span being built
     * @param operation {@code send} (PRODUCER) or {@code process} (CONSUMER)
     * @param event     the event
     * @return {@code span}
     */
    public static SpanBuilder describe(SpanBuilder span, String operation, CloudEvent event) {
        span.setAttribute(MESSAGING_SYSTEM, "knative").setAttribute(MESSAGING_OPERATION, operation)
                .setAttribute(MESSAGING_MESSAGE_ID, event.getId()).setAttribute(EVENT_ID, event.getId())
                .setAttribute(EVENT_SOURCE, event.getSource().toString())
                .setAttribute(EVENT_SPEC_VERSION, event.getSpecVersion().toString())
                .setAttribute(EVENT_TYPE, event.getType());
        if (event.getSubject() != null) {
            span.setAttribute(EVENT_SUBJECT, event.getSubject());
        }
        return span;
    }
}
