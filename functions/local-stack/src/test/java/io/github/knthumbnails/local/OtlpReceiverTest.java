package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiver decodes what the real OTel SDK's OTLP/HTTP exporters send, plain and gzipped. */
class OtlpReceiverTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Resource RESIZE = Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey(OtlpData.SERVICE_NAME), "resize")));

    OtlpReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = OtlpReceiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    SdkTracerProvider tracerProvider(String compression) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(receiver.endpoint() + "/v1/traces").setCompression(compression).build();
        return SdkTracerProvider.builder().setResource(RESIZE)
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }

    @Test
    void spansKeepTheirIdsParentKindAttributesLinksAndService() {
        Span producer;
        Span server;
        Span consumer;
        try (SdkTracerProvider provider = tracerProvider("none")) {
            Tracer tracer = provider.get("test");
            producer = tracer.spanBuilder("send").setSpanKind(SpanKind.PRODUCER).startSpan();
            producer.end();
            server = tracer.spanBuilder("http post /").setSpanKind(SpanKind.SERVER).startSpan();
            try (Scope ignored = server.makeCurrent()) {
                consumer = tracer.spanBuilder("process").setSpanKind(SpanKind.CONSUMER)
                        .addLink(producer.getSpanContext()).setAttribute("aws.s3.key", "cat.jpg")
                        .setAttribute("retry", 2L).startSpan();
                consumer.end();
            }
            server.end();
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }

        receiver.await(() -> receiver.spans("resize").size() == 3, WAIT, () -> "3 spans");
        OtlpData.Span process = receiver.spans().stream().filter(s -> s.name().equals("process")).findFirst()
                .orElseThrow();
        assertThat(process.serviceName()).isEqualTo("resize");
        assertThat(process.kind()).isEqualTo("CONSUMER");
        assertThat(process.traceId()).isEqualTo(server.getSpanContext().getTraceId());
        assertThat(process.spanId()).isEqualTo(consumer.getSpanContext().getSpanId());
        assertThat(process.parentSpanId()).isEqualTo(server.getSpanContext().getSpanId());
        assertThat(process.attributes()).containsEntry("aws.s3.key", "cat.jpg").containsEntry("retry", "2");
        assertThat(process.linkTraceIds()).containsExactly(producer.getSpanContext().getTraceId());
        OtlpData.Span root = receiver.spans().stream().filter(s -> s.name().equals("http post /")).findFirst()
                .orElseThrow();
        assertThat(root.kind()).isEqualTo("SERVER");
        assertThat(root.parentSpanId()).isEmpty();
        assertThat(receiver.refusals()).isEmpty();
    }

    @Test
    void gzippedExportsAreDecodedToo() {
        try (SdkTracerProvider provider = tracerProvider("gzip")) {
            provider.get("test").spanBuilder("S3.GetObject").setSpanKind(SpanKind.CLIENT).startSpan().end();
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }

        receiver.await(() -> !receiver.spans().isEmpty(), WAIT, () -> "a span");
        assertThat(receiver.spans()).extracting(OtlpData.Span::name, OtlpData.Span::kind)
                .containsExactly(tuple("S3.GetObject", "CLIENT"));
    }

    @Test
    void metricNamesAreKeptPerServiceWithTheirDots() {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint(receiver.endpoint() + "/v1/metrics").setCompression("gzip").build();
        try (SdkMeterProvider provider = SdkMeterProvider.builder().setResource(RESIZE)
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .build()) {
            Meter meter = provider.get("test");
            LongCounter jobs = meter.counterBuilder("thumbnails.jobs").build();
            jobs.add(1, Attributes.of(AttributeKey.stringKey("outcome"), "succeeded"));
            meter.histogramBuilder("thumbnails.stage.duration").setUnit("s").build().record(0.25);
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }

        receiver.await(() -> receiver.metricNames("resize").contains("thumbnails.stage.duration"), WAIT,
                () -> "the histogram");
        assertThat(receiver.metricNames("resize")).contains("thumbnails.jobs", "thumbnails.stage.duration");
        assertThat(receiver.metricNames()).containsOnlyKeys("resize");
    }

    @Test
    void otlpJsonAndOtherMethodsArePlainlyRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(receiver.endpoint().resolve("/v1/traces"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(receiver.endpoint().resolve("/v1/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(receiver.endpoint().resolve("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 1, 2})).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(receiver.refusals()).hasSize(3);
        assertThat(receiver.exports()).isZero();
    }

    @Test
    void awaitFailsWithWhatWasReceived() {
        assertThatThrownBy(() -> receiver.await(() -> false, Duration.ofMillis(100), () -> "a miracle"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("a miracle").hasMessageContaining("nothing");
    }
}
