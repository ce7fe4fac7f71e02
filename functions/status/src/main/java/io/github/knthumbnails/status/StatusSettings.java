package io.github.knthumbnails.status;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.storage.S3Settings;

/**
 * The status function's configuration, read from the environment at start-up.
 *
 * @param s3             how to reach object storage
 * @param buckets        which buckets are watched and where results live
 * @param publicEndpoint the S3 endpoint rendition links and upload forms point at — what a browser or {@code curl}
 *                       outside the cluster can reach, e.g. an Ingress for MinIO (signatures cover the host, so
 *                       links are signed for this endpoint)
 * @param linkExpiry     how long rendition links stay valid
 * @param uploads        uploads from the browser ({@code POST /uploads}, issue 12), signed for
 *                       {@code publicEndpoint} like the links
 */
public record StatusSettings(S3Settings s3, Buckets buckets, URI publicEndpoint, Duration linkExpiry,
                             UploadSettings uploads) {

    /** Endpoint used in rendition links and upload forms; default: {@code MINIO_ENDPOINT}. */
    public static final String MINIO_PUBLIC_ENDPOINT = "MINIO_PUBLIC_ENDPOINT";
    /** Lifetime of rendition links in seconds, 1 to 604800 (7 days, S3's maximum); default 900. */
    public static final String LINK_EXPIRY_SECONDS = "LINK_EXPIRY_SECONDS";
    /** Every environment variable the status function reads (besides Spring Boot's own {@code PORT}). */
    public static final List<String> VARIABLES = Stream.of(S3Settings.VARIABLES, Buckets.VARIABLES,
            List.of(MINIO_PUBLIC_ENDPOINT, LINK_EXPIRY_SECONDS), UploadSettings.VARIABLES).flatMap(List::stream)
            .toList();

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the settings, defaults filled in
     * @throws IllegalArgumentException naming the variable, if a value is invalid
     */
    public static StatusSettings from(Function<String, String> env) {
        S3Settings s3 = S3Settings.from(env);
        String publicEndpoint = env.apply(MINIO_PUBLIC_ENDPOINT);
        URI endpoint = publicEndpoint == null || publicEndpoint.isBlank() ? s3.endpoint()
                : new S3Settings(URI.create(publicEndpoint.strip()), s3.accessKey(), s3.secretKey(), s3.region())
                        .endpoint();
        String expiry = env.apply(LINK_EXPIRY_SECONDS);
        long seconds;
        try {
            seconds = expiry == null || expiry.isBlank() ? 900 : Long.parseLong(expiry.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(LINK_EXPIRY_SECONDS + " must be a whole number of seconds", e);
        }
        if (seconds < 1 || seconds > 604_800) {
            throw new IllegalArgumentException(LINK_EXPIRY_SECONDS + " must be 1 to 604800 (7 days), got " + seconds);
        }
        return new StatusSettings(s3, Buckets.from(env), endpoint, Duration.ofSeconds(seconds),
                UploadSettings.from(env));
    }
}
