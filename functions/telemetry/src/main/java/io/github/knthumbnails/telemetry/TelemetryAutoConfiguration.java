package io.github.knthumbnails.telemetry;

import io.github.knthumbnails.storage.StorageObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationPredicate;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * The beans every function shares (issue 11): the OTLP/HTTP span exporter, switched in the pod by
 * {@link OtelEnvironment} (not by a condition, which Spring AOT would freeze at build time), the
 * {@link StorageObserver} that gives every storage call a span and a timer, and the predicate that leaves the
 * actuator's probes and scrapes out of traces and HTTP metrics. Spring Boot's OpenTelemetry
 * auto-configuration hands this exporter to its batch span processor.
 */
@AutoConfiguration
public class TelemetryAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TelemetryAutoConfiguration.class);

    /**
     * @param environment the function's environment ({@code OTEL_*} variables)
     * @return an OTLP/HTTP protobuf exporter to the traces endpoint, or one that drops every span when no endpoint
     *         is set (so nothing is sent and nothing is logged about it)
     */
    @Bean
    SpanExporter otlpSpanExporter(Environment environment) {
        OtelEnvironment otel = OtelEnvironment.from(environment::getProperty);
        if (otel.tracesEndpoint().isEmpty()) {
            return SpanExporter.composite();
        }
        // Never the headers (they may hold an API key), nor credentials in a URL's user info.
        log.info("exporting spans to {} and metrics to {} every {} ms (OTLP/HTTP), sampling {}",
                withoutUserInfo(otel.tracesEndpoint().get()),
                otel.metricsEndpoint().map(TelemetryAutoConfiguration::withoutUserInfo).orElse("nowhere"),
                otel.metricStepMs(), otel.samplingRatio());
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(otel.tracesEndpoint().get().toString());
        otel.headers().forEach(builder::addHeader);
        return builder.build();
    }

    private static String withoutUserInfo(java.net.URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    /**
     * Spring AOT makes Boot's OTLP meter registry a fixed bean (its condition is evaluated at build time,
     * {@link OtelEnvironmentPostProcessor}), so without an endpoint it would still keep a copy of every meter and
     * histogram that is never pushed: there it denies every meter instead (issue 11: cold start and memory).
     *
     * @param environment the function's environment ({@code OTEL_*} variables)
     * @return a customizer of the OTLP registry, applied before any meter is registered
     */
    @Bean
    MeterRegistryCustomizer<OtlpMeterRegistry> otlpMetersOnlyWhenPushed(Environment environment) {
        boolean pushed = OtelEnvironment.from(environment::getProperty).metricsEndpoint().isPresent();
        return registry -> {
            if (!pushed) {
                registry.config().meterFilter(MeterFilter.deny());
            }
        };
    }

    /**
     * Kubernetes' and Knative's health probes and Prometheus' scrapes call {@code /actuator/**} every few seconds in
     * every pod: left to Spring Boot, each would be a trace of its own (sampled, as uploads are, always on by default)
     * and a count in {@code http.server.requests}, burying the uploads' traces in the backend and the real requests'
     * rates in the dashboard. There is no Boot property for this in 4.0, so this is the predicate that
     * spring-boot#34801 (open) describes as what users register.
     *
     * @param environment the function's environment ({@code management.endpoints.web.base-path}, default
     *                    {@code /actuator})
     * @return a predicate that refuses the HTTP server observation of any request under the actuator's base path,
     *         and lets every other observation through
     */
    @Bean
    ObservationPredicate noActuatorObservations(Environment environment) {
        String base = environment.getProperty("management.endpoints.web.base-path", "/actuator");
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && isUnder(server.getCarrier().getRequestURI(), base));
    }

    private static boolean isUnder(String path, String base) {
        return path != null && (path.equals(base) || path.startsWith(base.endsWith("/") ? base : base + "/"));
    }

    /**
     * @param openTelemetry Spring Boot's OpenTelemetry SDK
     * @param meters        Spring Boot's meter registry
     * @return spans {@code S3.<operation>} and the {@code s3.client.operation} timer around every storage call
     */
    @Bean
    StorageObserver tracedStorage(OpenTelemetry openTelemetry, MeterRegistry meters) {
        return new TracedStorage(Telemetry.tracer(openTelemetry), meters);
    }
}
