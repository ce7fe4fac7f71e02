package io.github.knthumbnails.status;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which routes one deployment of the status image serves ({@value #STATUS_ROUTES}), enforced by
 * {@link StatusRoutesFilter} (issue 8, finding 1).
 *
 * <p>The dead-letter sink records {@code failed} for any job it is told about, so it must only be reachable by
 * the Broker: in a cluster the image runs twice, as the public {@code status} Knative Service with
 * {@link #PUBLIC} and as the cluster-local {@code status-dead-letter} Service with {@link #DEAD_LETTER}
 * (knative/status.yaml). Unset means {@link #PUBLIC}: a deployment that forgets the variable must not put the
 * dead-letter sink back on a public route. The local stack, bound to 127.0.0.1, sets {@link #ALL}.
 */
public enum StatusRoutes {

    /**
     * The status API ({@code GET /status/...}, {@code /jobs}, the page, {@code POST /uploads}, the OpenAPI
     * description and Swagger UI) and the probes; {@code /dead-letter} and {@code /actuator/prometheus} are 404:
     * operational metrics are not for the public route (issue 11), so the public Service's metrics go out over
     * OTLP only.
     */
    PUBLIC("public"),
    /**
     * Only {@code POST /dead-letter}, the probes ({@code /actuator/health/**}) and {@code /actuator/prometheus}
     * (cluster-local, for a scraper); everything else is 404.
     */
    DEAD_LETTER("dead-letter"),
    /** Everything: for the local stack on loopback. */
    ALL("all");

    /** {@code public}, {@code dead-letter} or {@code all}; default {@code public}. */
    public static final String STATUS_ROUTES = "STATUS_ROUTES";
    /** The environment variables this setting reads. */
    public static final List<String> VARIABLES = List.of(STATUS_ROUTES);

    private final String value;

    StatusRoutes(String value) {
        this.value = value;
    }

    /** @return the value as written in {@value #STATUS_ROUTES} */
    public String value() {
        return value;
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the configured routes; {@link #PUBLIC} when unset (fail closed)
     * @throws IllegalArgumentException naming {@value #STATUS_ROUTES} and the allowed values for anything else
     */
    public static StatusRoutes from(Function<String, String> env) {
        String configured = env.apply(STATUS_ROUTES);
        if (configured == null || configured.isBlank()) {
            return PUBLIC;
        }
        for (StatusRoutes routes : values()) {
            if (routes.value.equals(configured.strip().toLowerCase(Locale.ROOT))) {
                return routes;
            }
        }
        throw new IllegalArgumentException(STATUS_ROUTES + " must be public, dead-letter or all, got '" + configured
                + "'");
    }
}
