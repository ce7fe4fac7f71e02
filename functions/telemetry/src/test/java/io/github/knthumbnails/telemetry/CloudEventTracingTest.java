package io.github.knthumbnails.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

/** The CloudEvents distributed-tracing extension, written and read (issue 11, item 2). */
class CloudEventTracingTest {

    private static final CloudEvent EVENT = CloudEventBuilder.v1().withId("id-1").withSource(URI.create("/minio"))
            .withType("com.amazonaws.s3.ObjectCreated:Put").build();

    @Test
    void theProducersContextRoundTripsThroughTheEvent() {
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().build()) {
            Span producer = tracing.get("test").spanBuilder("send").startSpan();
            CloudEvent traced;
            try (Scope ignored = producer.makeCurrent()) {
                traced = CloudEventTracing.withTraceContext(EVENT, Context.current());
            }
            producer.end();

            assertThat(traced.getExtension("traceparent")).asString()
                    .isEqualTo("00-" + producer.getSpanContext().getTraceId() + "-"
                            + producer.getSpanContext().getSpanId() + "-01");
            SpanContext read = CloudEventTracing.producedIn(traced);
            assertThat(read.getTraceId()).isEqualTo(producer.getSpanContext().getTraceId());
            assertThat(read.getSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
            assertThat(read.isRemote()).isTrue();
        }
    }

    @Test
    void withoutASpanTheEventIsLeftAlone() {
        assertThat(CloudEventTracing.withTraceContext(EVENT, Context.root())).isSameAs(EVENT);
        assertThat(CloudEventTracing.producedIn(EVENT).isValid()).isFalse();
    }

    @Test
    void aForgedTraceparentOnlyLosesTheLink() {
        for (String forged : new String[] {"garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-" + "a".repeat(500) + "-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-zz-01"}) {
            CloudEvent event = CloudEventBuilder.v1(EVENT).withExtension("traceparent", forged).build();

            assertThat(CloudEventTracing.producedIn(event).isValid()).as(forged).isFalse();
        }
    }
}
