package io.github.knthumbnails.source;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.events.CeOverrides;

/**
 * The minio-source's configuration, read from the environment at start-up.
 *
 * @param sink        where CloudEvents go: {@code K_SINK}, injected by a Knative SinkBinding (the Broker in a
 *                    cluster; the resize function in the local stack)
 * @param overrides   extension attributes from {@code K_CE_OVERRIDES}, added to every event
 * @param authToken   the token MinIO must present ({@code WEBHOOK_AUTH_TOKEN}); {@code null} accepts any request
 * @param buckets     which buckets' records are forwarded
 */
public record SourceSettings(URI sink, Map<String, String> overrides, String authToken, Buckets buckets) {

    /** The sink URL; required (set by Knative's SinkBinding, or by the local stack). */
    public static final String K_SINK = "K_SINK";
    /** JSON {@code {"extensions":{...}}}; optional (set by Knative). */
    public static final String K_CE_OVERRIDES = "K_CE_OVERRIDES";
    /** The bearer token MinIO sends ({@code auth_token} of its webhook target); optional. */
    public static final String WEBHOOK_AUTH_TOKEN = "WEBHOOK_AUTH_TOKEN";
    /** Every environment variable the minio-source reads (besides Spring Boot's own {@code PORT}). */
    public static final List<String> VARIABLES = List.of(K_SINK, K_CE_OVERRIDES, WEBHOOK_AUTH_TOKEN,
            Buckets.UPLOAD_BUCKETS, Buckets.THUMBNAILS_BUCKET);

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the settings
     * @throws IllegalArgumentException if {@code K_SINK} is missing or not an absolute http(s) URL, or another
     *                                  value is invalid; the message names the variable
     */
    public static SourceSettings from(Function<String, String> env) {
        String sink = env.apply(K_SINK);
        if (sink == null || sink.isBlank()) {
            throw new IllegalArgumentException(K_SINK + " is not set: it must be the URL events are sent to (a"
                    + " Knative SinkBinding sets it; locally scripts/run-local.sh does)");
        }
        URI uri;
        try {
            uri = URI.create(sink.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(K_SINK + " '" + sink + "' is not a URL", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(K_SINK + " '" + sink + "' must be an absolute http(s) URL");
        }
        String token = env.apply(WEBHOOK_AUTH_TOKEN);
        return new SourceSettings(uri, CeOverrides.parse(env.apply(K_CE_OVERRIDES)),
                token == null || token.isBlank() ? null : token.strip(), Buckets.from(env));
    }
}
