package io.github.knthumbnails.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The standard OTEL_* variables as the specification defines them (issue 11, item 1). */
class OtelEnvironmentTest {

    private static OtelEnvironment of(Map<String, String> env) {
        return OtelEnvironment.from(env::get);
    }

    @Test
    void nothingSetMeansNoExportAndEveryTraceSampled() {
        OtelEnvironment otel = of(Map.of());

        assertThat(otel.tracesEndpoint()).isEmpty();
        assertThat(otel.metricsEndpoint()).isEmpty();
        assertThat(otel.samplingRatio()).isEqualTo(1.0);
        assertThat(otel.metricStepMs()).isEqualTo(60_000);
        assertThat(otel.instanceId()).isPresent();
    }

    @Test
    void theBaseEndpointAloneTurnsOnTracesAndMetrics() {
        OtelEnvironment otel = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"));

        assertThat(otel.tracesEndpoint()).contains(URI.create("http://collector:4318/v1/traces"));
        assertThat(otel.metricsEndpoint()).contains(URI.create("http://collector:4318/v1/metrics"));
        assertThat(of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")).tracesEndpoint())
                .contains(URI.create("http://collector:4318/v1/traces"));
    }

    @Test
    void perSignalEndpointsAreUsedAsTheyAre() {
        OtelEnvironment otel = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/api/spans"));

        assertThat(otel.tracesEndpoint()).contains(URI.create("https://traces.example/api/spans"));
        assertThat(otel.metricsEndpoint()).contains(URI.create("http://collector:4318/v1/metrics"));
    }

    @Test
    void theSdkCanBeSwitchedOff() {
        OtelEnvironment otel = of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_SDK_DISABLED", "true"));

        assertThat(otel.tracesEndpoint()).isEmpty();
        assertThat(otel.metricsEndpoint()).isEmpty();
    }

    @Test
    void samplersMapToARatio() {
        assertThat(of(Map.of("OTEL_TRACES_SAMPLER", "always_off")).samplingRatio()).isZero();
        assertThat(of(Map.of("OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.25"))
                .samplingRatio()).isEqualTo(0.25);
        assertThat(of(Map.of("OTEL_TRACES_SAMPLER", "traceidratio")).samplingRatio()).isEqualTo(1.0);
    }

    @Test
    void headersAndResourceFacts() {
        OtelEnvironment otel = of(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b,x-tenant=t1",
                "HOSTNAME", "resize-00001-deployment-abc", "K_REVISION", "resize-00001",
                "OTEL_METRIC_EXPORT_INTERVAL", "5000"));

        assertThat(otel.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("api-key", "a b", "x-tenant", "t1"));
        assertThat(otel.instanceId()).contains("resize-00001-deployment-abc");
        assertThat(otel.serviceVersion()).contains("resize-00001");
        assertThat(otel.metricStepMs()).isEqualTo(5000);
        assertThat(of(Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=mine")).instanceId())
                .isEqualTo(Optional.empty());
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> of(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT");
        assertThatThrownBy(() -> of(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL").hasMessageContaining("http/protobuf");
        assertThatThrownBy(() -> of(Map.of("OTEL_TRACES_SAMPLER", "jaeger_remote")))
                .hasMessageContaining("OTEL_TRACES_SAMPLER");
        assertThatThrownBy(() -> of(Map.of("OTEL_TRACES_SAMPLER", "traceidratio", "OTEL_TRACES_SAMPLER_ARG", "2")))
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG");
        assertThatThrownBy(() -> of(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "novalue")))
                .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS");
        assertThatThrownBy(() -> of(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "soon")))
                .hasMessageContaining("OTEL_METRIC_EXPORT_INTERVAL");
    }
}
