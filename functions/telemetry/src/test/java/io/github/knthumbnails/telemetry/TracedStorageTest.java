package io.github.knthumbnails.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import io.github.knthumbnails.storage.StorageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

/** A span and a timer per storage call, keys on spans only (issue 11, items 2 and 3). */
class TracedStorageTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TracedStorage storage = new TracedStorage(tracing.get("test"), meters);

    @Test
    void aCallIsAClientSpanWithTheS3Attributes() {
        assertThat(storage.observe("GetObject", "images", "a/b.jpg", () -> Optional.of("bytes"))).contains("bytes");

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("S3.GetObject");
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("aws.s3.bucket"))).isEqualTo("images");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("aws.s3.key"))).isEqualTo("a/b.jpg");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("rpc.system"))).isEqualTo("aws-api");
        assertThat(meters.get("s3.client.operation").tags("operation", "GetObject", "outcome", "ok").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("s3.client.operation").timer().getId().getTags())
                .noneMatch(t -> t.getValue().contains("a/b.jpg") || t.getValue().equals("images"));
    }

    @Test
    void notThereIsNotAnError() {
        storage.observe("HeadObject", "images", "gone.jpg", Optional::empty);

        assertThat(spans.getFinishedSpanItems().get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(meters.get("s3.client.operation").tags("outcome", "not_found").timer().count()).isEqualTo(1);
    }

    @Test
    void aFailureMarksTheSpanAndPassesThrough() {
        assertThatThrownBy(() -> storage.observe("PutObject", "thumbnails", "k", () -> {
            throw new StorageException("PUT thumbnails/k failed: connection refused", null);
        })).isInstanceOf(StorageException.class);

        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo(StorageException.class.getName());
        assertThat(meters.get("s3.client.operation").tags("operation", "PutObject", "outcome", "error").timer()
                .count()).isEqualTo(1);
    }
}
