package io.github.knthumbnails.resize;

import static io.github.knthumbnails.resize.ResizeIntegrationTests.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.SourceImage;
import io.github.knthumbnails.telemetry.Telemetry;
import io.github.knthumbnails.telemetry.TracedStorage;
import io.github.knthumbnails.testsupport.S3TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11: the span tree, meters and job record of one real job — the real resize code, engine and storage adapter
 * against an embedded S3 server, with the OpenTelemetry SDK exporting to memory.
 */
class JobTracingTest {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    /** The context the event claims it was produced in (its traceparent extension). */
    private static final String PRODUCER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PRODUCER_SPAN = "00f067aa0ba902b7";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(tracing).build();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ResizeSettings settings = ResizeSettings.from(Map.of("MINIO_ENDPOINT",
            S3.endpoint().toString())::get);
    private final ObjectStore store = new ObjectStore(settings.s3(),
            new TracedStorage(Telemetry.tracer(otel), meters));
    private final ResizeService service = new ResizeService(settings, store,
            new ImageEngine(settings.image())::render);
    private final JobTelemetry telemetry = new JobTelemetry(otel, meters);

    @AfterEach
    void close() {
        tracing.close();
    }

    /** Handles the event under a SERVER span, as Spring MVC's observation filter makes one. */
    private ResizeService.Outcome handle(CloudEvent event) {
        Span server = Telemetry.tracer(otel).spanBuilder("http post /").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = server.makeCurrent()) {
            return telemetry.process(event, () -> service.handle(event));
        } finally {
            server.end();
        }
    }

    private CloudEvent upload(String key, byte[] bytes) {
        store.put("images", key, bytes, "image/jpeg", Map.of());
        String eTag = store.stat("images", key).orElseThrow().eTag();
        spans.reset();
        return CloudEventBuilder.v1(TestEvents.put(key, eTag))
                .withExtension("traceparent", "00-" + PRODUCER_TRACE + "-" + PRODUCER_SPAN + "-01").build();
    }

    private SpanData only(String name) {
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getName().equals(name)).hasSize(1);
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void oneJobIsOneTraceUnderItsProcessSpan() {
        CloudEvent event = upload("traced/cat.jpg", jpeg(640, 480));

        assertThat(handle(event)).isEqualTo(ResizeService.Outcome.SUCCEEDED);

        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData server = only("http post /");
        SpanData process = only("process");
        assertThat(all).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(server.getTraceId()));
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(process.getLinks()).singleElement().satisfies(link -> {
            assertThat(link.getSpanContext().getTraceId()).isEqualTo(PRODUCER_TRACE);
            assertThat(link.getSpanContext().getSpanId()).isEqualTo(PRODUCER_SPAN);
        });
        assertThat(process.getAttributes().get(AttributeKey.stringKey("cloudevents.event_id"))).isEqualTo(event.getId());
        assertThat(process.getAttributes().get(AttributeKey.stringKey("cloudevents.event_type")))
                .isEqualTo("com.amazonaws.s3.ObjectCreated:Put");
        assertThat(all).filteredOn(s -> s != server && s != process)
                .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(process.getSpanId()))
                .map(SpanData::getName).containsExactlyInAnyOrder(
                        "S3.HeadObject", "S3.GetObject", "S3.PutObject", "thumbnail.admit", "thumbnail.decode",
                        "thumbnail.resize", "thumbnail.encode", "S3.PutObject", "S3.PutObject", "S3.HeadObject");
        SpanData get = only("S3.GetObject");
        assertThat(get.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(get.getAttributes().get(AttributeKey.stringKey("aws.s3.bucket"))).isEqualTo("images");
        assertThat(get.getAttributes().get(AttributeKey.stringKey("aws.s3.key"))).isEqualTo("traced/cat.jpg");
        assertThat(get.getAttributes().get(AttributeKey.stringKey("rpc.method"))).isEqualTo("GetObject");
        SpanData resize = only("thumbnail.resize");
        assertThat(resize.getAttributes().get(AttributeKey.stringKey("thumbnail.rendition"))).isEqualTo("thumb");
        assertThat(resize.getAttributes().get(AttributeKey.longKey("thumbnail.width"))).isEqualTo(100L);
        assertThat(only("thumbnail.decode").getAttributes().get(AttributeKey.stringKey("thumbnail.format")))
                .isEqualTo("jpeg");
        assertThat(only("thumbnail.encode").getStartEpochNanos()).isGreaterThanOrEqualTo(resize.getEndEpochNanos())
                .isLessThanOrEqualTo(process.getEndEpochNanos());
        assertThat(only("thumbnail.admit").getStartEpochNanos()).isGreaterThanOrEqualTo(get.getEndEpochNanos());
    }

    @Test
    void theJobRecordKeepsItsTraceStageTimingsAndSourceImage() {
        handle(upload("traced/timed.jpg", jpeg(640, 480)));

        JobRecord record = new JobStore(store, "thumbnails").read("images", "traced/timed.jpg").orElseThrow();
        assertThat(record.traceId()).isEqualTo(only("process").getTraceId());
        assertThat(record.timingsMs()).containsOnlyKeys("fetch", "admit", "decode", "resize", "encode", "store");
        assertThat(record.timingsMs().values()).allSatisfy(ms -> assertThat(ms).isBetween(0.0, 30_000.0));
        assertThat(record.timingsMs().get("decode")).isPositive();
        assertThat(record.source()).as("issue 12: the page shows it").isEqualTo(new SourceImage("jpeg", 640, 480));
    }

    @Test
    void metersCountJobsByOutcomeAndTimeEachStage() {
        handle(upload("traced/ok.jpg", jpeg(640, 480)));
        handle(upload("traced/bad.jpg", "not an image at all".getBytes(StandardCharsets.UTF_8)));

        assertThat(meters.get("thumbnails.jobs").tags("outcome", "succeeded", "error_type", "none").counter()
                .count()).isEqualTo(1);
        assertThat(meters.get("thumbnails.jobs").tags("outcome", "failed", "error_type", "unsupported_format")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("thumbnails.events.received").tags("kind", "created").counter().count()).isEqualTo(2);
        for (String stage : List.of("fetch", "admit", "decode", "resize", "encode", "store")) {
            assertThat(meters.get("thumbnails.stage.duration").tags("stage", stage).timer().count())
                    .as(stage).isPositive();
        }
        assertThat(meters.get("s3.client.operation").tags("operation", "GetObject", "outcome", "ok").timer()
                .count()).isEqualTo(2);
        assertThat(meters.get("thumbnails.end_to_end.latency").tags("outcome", "succeeded").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("thumbnails.job.duration").tags("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(meters.get("thumbnails.source.size").summary().totalAmount()).isGreaterThan(1000);
        assertThat(meters.get("thumbnails.jobs.inflight").gauge().value()).isZero();
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags())
                .noneMatch(t -> t.getValue().contains("traced/")));
        assertThat(only("process").getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo("unsupported_format");
    }
}
