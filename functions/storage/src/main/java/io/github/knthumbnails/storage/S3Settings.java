package io.github.knthumbnails.storage;

import java.net.URI;
import java.util.List;
import java.util.function.Function;

/**
 * How the functions reach object storage (MinIO, or any S3-compatible server), read from the environment.
 *
 * @param endpoint  base URL of the S3 API, e.g. {@code http://minio.storage.svc.cluster.local:9000}
 * @param accessKey access key (from a Secret in a cluster)
 * @param secretKey secret key (from a Secret in a cluster)
 * @param region    the region requests are signed for; set explicitly so the client never has to ask the
 *                  server (MinIO accepts {@code us-east-1} unless a site region is configured)
 */
public record S3Settings(URI endpoint, String accessKey, String secretKey, String region) {

    /** S3 API base URL; default {@code http://127.0.0.1:9000} (the local stack). */
    public static final String MINIO_ENDPOINT = "MINIO_ENDPOINT";
    /** Access key; default {@code minioadmin}. */
    public static final String MINIO_ACCESS_KEY = "MINIO_ACCESS_KEY";
    /** Secret key; default {@code minioadmin}. */
    public static final String MINIO_SECRET_KEY = "MINIO_SECRET_KEY";
    /** Signing region; default {@code us-east-1}. */
    public static final String MINIO_REGION = "MINIO_REGION";
    /** The environment variables this record reads. */
    public static final List<String> VARIABLES = List.of(MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY,
            MINIO_REGION);

    /**
     * @throws IllegalArgumentException if the endpoint is not an absolute http(s) URL or a credential is empty
     */
    public S3Settings {
        if (endpoint == null || endpoint.getHost() == null
                || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
            throw new IllegalArgumentException(MINIO_ENDPOINT + " must be an http:// or https:// URL, got " + endpoint);
        }
        if (accessKey == null || accessKey.isEmpty() || secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException(MINIO_ACCESS_KEY + " and " + MINIO_SECRET_KEY + " must not be empty");
        }
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset (e.g. {@code System::getenv})
     * @return the settings, defaults filled in
     * @throws IllegalArgumentException if a value is invalid (see the constructor)
     */
    public static S3Settings from(Function<String, String> env) {
        String endpoint = or(env.apply(MINIO_ENDPOINT), "http://127.0.0.1:9000");
        try {
            return new S3Settings(URI.create(endpoint), or(env.apply(MINIO_ACCESS_KEY), "minioadmin"),
                    or(env.apply(MINIO_SECRET_KEY), "minioadmin"), or(env.apply(MINIO_REGION), "us-east-1"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MINIO_ENDPOINT + " '" + endpoint + "' is not a URL: " + e.getMessage(), e);
        }
    }

    static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
