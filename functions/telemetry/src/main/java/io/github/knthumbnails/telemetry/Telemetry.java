package io.github.knthumbnails.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;

/** Small shared facts about this project's spans. */
public final class Telemetry {

    /** The instrumentation scope of every span this project makes. */
    public static final String SCOPE = "io.github.knthumbnails";

    private Telemetry() {
    }

    /**
     * @param openTelemetry the SDK (Spring Boot's bean) or {@link OpenTelemetry#noop()}
     * @return the tracer for this project's spans
     */
    public static Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer(SCOPE);
    }

    /**
     * @return the current trace id, 32 lower-case hex digits, or {@code null} when no sampled span is current (so a
     *         job record never points at a trace that was not recorded)
     */
    public static String currentTraceId() {
        var context = Span.current().getSpanContext();
        return context.isValid() && context.isSampled() ? context.getTraceId() : null;
    }
}
