package io.github.knthumbnails.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.micrometer.core.instrument.Clock;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The beans decided in the pod rather than by Spring AOT's build-time conditions (issue 11). */
class TelemetryAutoConfigurationTest {

    private final TelemetryAutoConfiguration configuration = new TelemetryAutoConfiguration();

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", variables));
        return environment;
    }

    @Test
    void withoutAnEndpointTheOtlpRegistryKeepsNoMeterAndNoSpanLeaves() {
        StandardEnvironment none = environment(Map.of());
        OtlpMeterRegistry registry = new OtlpMeterRegistry(OtlpConfig.DEFAULT, Clock.SYSTEM);
        configuration.otlpMetersOnlyWhenPushed(none).customize(registry);

        registry.counter("thumbnails.jobs").increment();

        assertThat(registry.getMeters()).isEmpty();
        assertThat(configuration.otlpSpanExporter(none).getClass().getSimpleName()).isEqualTo("NoopSpanExporter");
    }

    @Test
    void withAnEndpointMetersAreKeptAndSpansExported() {
        StandardEnvironment otlp = environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"));
        OtlpMeterRegistry registry = new OtlpMeterRegistry(OtlpConfig.DEFAULT, Clock.SYSTEM);
        configuration.otlpMetersOnlyWhenPushed(otlp).customize(registry);

        registry.counter("thumbnails.jobs").increment();

        assertThat(registry.getMeters()).hasSize(1);
        SpanExporter exporter = configuration.otlpSpanExporter(otlp);
        assertThat(exporter.toString()).contains("http://127.0.0.1:4318/v1/traces");
        exporter.shutdown();
        registry.close();
    }

    private static boolean observed(ObservationPredicate predicate, String path) {
        ServerRequestObservationContext context = new ServerRequestObservationContext(
                new MockHttpServletRequest("GET", path), new MockHttpServletResponse());
        return predicate.test("http.server.requests", context);
    }

    @Test
    void probesAndScrapesAreNotObservedButRequestsAndOtherObservationsAre() {
        ObservationPredicate predicate = configuration.noActuatorObservations(environment(Map.of()));

        assertThat(observed(predicate, "/actuator/health/readiness")).isFalse();
        assertThat(observed(predicate, "/actuator/prometheus")).isFalse();
        assertThat(observed(predicate, "/actuator")).isFalse();
        assertThat(observed(predicate, "/")).isTrue();
        assertThat(observed(predicate, "/status/images/actuator/cat.jpg")).isTrue();
        assertThat(observed(predicate, "/actuatorial")).isTrue();
        assertThat(predicate.test("thumbnails.job", new Observation.Context())).isTrue();
    }

    @Test
    void theActuatorsBasePathIsTheOneConfigured() {
        ObservationPredicate predicate = configuration.noActuatorObservations(
                environment(Map.of("management.endpoints.web.base-path", "/manage")));

        assertThat(observed(predicate, "/manage/health/liveness")).isFalse();
        assertThat(observed(predicate, "/actuator/health/liveness")).isTrue();
    }
}
