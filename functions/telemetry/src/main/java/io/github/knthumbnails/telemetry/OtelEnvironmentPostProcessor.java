package io.github.knthumbnails.telemetry;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts what {@link OtelEnvironment} reads into Spring Boot's own properties, before any bean is made: the sampling
 * probability, the OTLP metrics registry's switch, URL, headers and step, the resource attributes
 * ({@code service.instance.id}, {@code service.version}), seconds as the base time unit, and the
 * {@code application} tag on every meter. The trace exporter is a bean of {@link TelemetryAutoConfiguration}:
 * Boot's own is switched by a condition, which Spring AOT evaluates at build time, not in the pod.
 *
 * <p>Added last, so {@code application.properties}, system properties and {@code SPRING_*}/{@code MANAGEMENT_*}
 * variables still win over these defaults.
 */
public class OtelEnvironmentPostProcessor implements EnvironmentPostProcessor {

    /** The name of the property source this adds. */
    public static final String SOURCE = "otelEnvironment";
    /** The system property Spring sets while it generates the AOT bean definitions at build time. */
    private static final String AOT_PROCESSING = "spring.aot.processing";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        OtelEnvironment otel = OtelEnvironment.from(environment::getProperty);
        Map<String, Object> p = new HashMap<>();
        p.put("management.tracing.sampling.probability", otel.samplingRatio());
        // Spring AOT decides at build time whether the OTLP registry bean exists (its condition reads this switch):
        // while processing, it must exist, and in the pod this switch then only tells it whether to push.
        p.put("management.otlp.metrics.export.enabled", otel.metricsEndpoint().isPresent()
                || Boolean.getBoolean(AOT_PROCESSING));
        otel.metricsEndpoint().ifPresent(url -> p.put("management.otlp.metrics.export.url", url.toString()));
        otel.headers().forEach((k, v) -> p.put("management.otlp.metrics.export.headers." + k, v));
        p.put("management.otlp.metrics.export.step", otel.metricStepMs() + "ms");
        p.put("management.otlp.metrics.export.base-time-unit", "seconds");
        otel.instanceId().ifPresent(id -> p.put("management.opentelemetry.resource-attributes[service.instance.id]",
                id));
        otel.serviceVersion().ifPresent(v -> p.put("management.opentelemetry.resource-attributes[service.version]",
                v));
        p.put("management.metrics.tags.application", "${spring.application.name}");
        p.put("management.metrics.distribution.percentiles-histogram.http.server.requests", true);
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, p));
    }
}
