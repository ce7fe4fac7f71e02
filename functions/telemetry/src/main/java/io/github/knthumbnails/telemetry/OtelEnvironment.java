package io.github.knthumbnails.telemetry;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The OpenTelemetry SDK's standard environment variables (opentelemetry-specification,
 * {@code specification/configuration/sdk-environment-variables.md} and {@code protocol/exporter.md}), read once.
 * Spring Boot 4.0 reads {@code OTEL_SERVICE_NAME} and {@code OTEL_RESOURCE_ATTRIBUTES} itself but does not turn
 * exports on from {@code OTEL_EXPORTER_OTLP_ENDPOINT} (spring-boot#48799), and its sampling default is 10 %;
 * this class is the one place that decides both (issue 11).
 *
 * @param tracesEndpoint  where spans go, OTLP/HTTP protobuf ({@code .../v1/traces}); empty: no trace export
 * @param metricsEndpoint where metrics go ({@code .../v1/metrics}); empty: no metrics push
 * @param headers         headers sent with every export ({@code OTEL_EXPORTER_OTLP_HEADERS}), e.g. an API key
 * @param samplingRatio   share of new traces recorded, 0 to 1 ({@code OTEL_TRACES_SAMPLER[_ARG]}; default 1: every
 *                        upload is traced). Always parent-based: a sampled parent's decision is kept
 * @param metricStepMs    how often metrics are pushed, in milliseconds ({@code OTEL_METRIC_EXPORT_INTERVAL},
 *                        default 60000, as the specification says)
 * @param instanceId      {@code service.instance.id}: the pod's {@code HOSTNAME}, else a random UUID, unless
 *                        {@code OTEL_RESOURCE_ATTRIBUTES} names one
 * @param serviceVersion  {@code service.version}: Knative's {@code K_REVISION} when set
 */
public record OtelEnvironment(Optional<URI> tracesEndpoint, Optional<URI> metricsEndpoint,
                              Map<String, String> headers, double samplingRatio, long metricStepMs,
                              Optional<String> instanceId, Optional<String> serviceVersion) {

    /** The base endpoint for every signal, e.g. {@code http://otel-collector:4318}. */
    public static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    /** The full traces endpoint, used as it is. */
    public static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    /** The full metrics endpoint, used as it is. */
    public static final String METRICS_ENDPOINT = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    /** Only {@code http/protobuf} is supported. */
    public static final String PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    /** {@code key=value} pairs, comma-separated, values percent-encoded. */
    public static final String HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";
    /** {@code always_on}, {@code always_off}, {@code traceidratio} or their {@code parentbased_} forms. */
    public static final String SAMPLER = "OTEL_TRACES_SAMPLER";
    /** The ratio for {@code traceidratio}, 0 to 1. */
    public static final String SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";
    /** Milliseconds between metric pushes. */
    public static final String METRIC_EXPORT_INTERVAL = "OTEL_METRIC_EXPORT_INTERVAL";
    /** {@code true} turns every export off. */
    public static final String SDK_DISABLED = "OTEL_SDK_DISABLED";

    /** Copies the headers. */
    public OtelEnvironment {
        headers = Map.copyOf(headers);
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return what the variables say
     * @throws IllegalArgumentException naming the variable, for an endpoint that is not an absolute http(s) URL, a
     *                                  protocol other than {@code http/protobuf}, an unknown sampler, a ratio
     *                                  outside 0..1, a malformed header list or interval
     */
    public static OtelEnvironment from(Function<String, String> env) {
        boolean disabled = "true".equalsIgnoreCase(value(env, SDK_DISABLED).orElse("false"));
        value(env, PROTOCOL).filter(p -> !p.equals("http/protobuf")).ifPresent(p -> {
            throw new IllegalArgumentException(PROTOCOL + "='" + p + "': only http/protobuf is supported (point "
                    + ENDPOINT + " at the collector's OTLP/HTTP port, 4318 by default)");
        });
        Optional<URI> base = value(env, ENDPOINT).map(v -> url(ENDPOINT, v));
        Optional<URI> traces = value(env, TRACES_ENDPOINT).map(v -> url(TRACES_ENDPOINT, v))
                .or(() -> base.map(b -> signal(b, "v1/traces")));
        Optional<URI> metrics = value(env, METRICS_ENDPOINT).map(v -> url(METRICS_ENDPOINT, v))
                .or(() -> base.map(b -> signal(b, "v1/metrics")));
        String attributes = value(env, "OTEL_RESOURCE_ATTRIBUTES").orElse("");
        Optional<String> instance = attributes.contains("service.instance.id=") ? Optional.empty()
                : Optional.of(value(env, "HOSTNAME").orElseGet(() -> UUID.randomUUID().toString()));
        return new OtelEnvironment(disabled ? Optional.empty() : traces, disabled ? Optional.empty() : metrics,
                headers(value(env, HEADERS).orElse("")), ratio(env), interval(env), instance,
                value(env, "K_REVISION"));
    }

    private static Optional<String> value(Function<String, String> env, String name) {
        return Optional.ofNullable(env.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static URI url(String name, String value) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "='" + value + "' is not an absolute http(s) URL, e.g."
                + " http://otel-collector:4318");
    }

    /** The base endpoint with the signal's path appended (exporter.md: "v1/traces" after a trailing slash). */
    private static URI signal(URI base, String path) {
        String s = base.toString();
        return URI.create(s.endsWith("/") ? s + path : s + "/" + path);
    }

    private static Map<String, String> headers(String list) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : list.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(HEADERS + ": '" + pair.strip() + "' is not key=value");
            }
            headers.put(pair.substring(0, eq).strip(),
                    URLDecoder.decode(pair.substring(eq + 1).strip(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static double ratio(Function<String, String> env) {
        String sampler = value(env, SAMPLER).orElse("parentbased_always_on");
        return switch (sampler.replaceFirst("^parentbased_", "")) {
            case "always_on" -> 1.0;
            case "always_off" -> 0.0;
            case "traceidratio" -> {
                String arg = value(env, SAMPLER_ARG).orElse("1.0");
                double r;
                try {
                    r = Double.parseDouble(arg);
                } catch (NumberFormatException e) {
                    r = Double.NaN;
                }
                if (!(r >= 0 && r <= 1)) {
                    throw new IllegalArgumentException(SAMPLER_ARG + "='" + arg + "' must be a ratio from 0 to 1");
                }
                yield r;
            }
            default -> throw new IllegalArgumentException(SAMPLER + "='" + sampler + "' is not one of always_on,"
                    + " always_off, traceidratio, parentbased_always_on, parentbased_always_off,"
                    + " parentbased_traceidratio");
        };
    }

    private static long interval(Function<String, String> env) {
        String v = value(env, METRIC_EXPORT_INTERVAL).orElse("60000");
        try {
            long ms = Long.parseLong(v);
            if (ms >= 100) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(METRIC_EXPORT_INTERVAL + "='" + v + "' must be a whole number of"
                + " milliseconds, at least 100");
    }
}
