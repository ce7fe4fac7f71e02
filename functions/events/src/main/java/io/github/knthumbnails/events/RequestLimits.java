package io.github.knthumbnails.events;

import java.util.List;
import java.util.function.Function;

/**
 * How large a request body the functions accept (issue 8, finding 8), read from the environment at start-up by
 * the minio-source, resize and status (dead-letter) functions alike.
 *
 * <p>Every body the functions take is small and bounded by nature: a MinIO webhook POST carries one record
 * (contracts.md §3.4), a CloudEvent for resize carries one S3 record, a dead letter is that same event. A few
 * KiB each; the default of 1 MiB leaves room for long keys and user metadata while keeping a hostile 400 MB POST
 * from being read into a 160 MB heap.
 *
 * @param maxBodyBytes the largest request body accepted, in bytes; larger ones get {@code 413}
 *                     ({@link RequestBodyLimitFilter})
 */
public record RequestLimits(long maxBodyBytes) {

    /** The largest request body in bytes, 1 to 1073741824 (1 GiB); default 1048576 (1 MiB). */
    public static final String MAX_REQUEST_BYTES = "MAX_REQUEST_BYTES";
    /** Default body limit: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    /** Upper bound of {@link #MAX_REQUEST_BYTES}: 1 GiB. */
    public static final long MAX_MAX_BODY_BYTES = 1L << 30;
    /** The environment variables this record reads. */
    public static final List<String> VARIABLES = List.of(MAX_REQUEST_BYTES);

    /**
     * @throws IllegalArgumentException if {@code maxBodyBytes} is below 1 or above 1 GiB
     */
    public RequestLimits {
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_MAX_BODY_BYTES) {
            throw new IllegalArgumentException(MAX_REQUEST_BYTES + " must be 1 to " + MAX_MAX_BODY_BYTES
                    + " bytes, got " + maxBodyBytes);
        }
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the limits, defaults filled in
     * @throws IllegalArgumentException naming {@value #MAX_REQUEST_BYTES} if it is not a whole number in range
     */
    public static RequestLimits from(Function<String, String> env) {
        String value = env.apply(MAX_REQUEST_BYTES);
        if (value == null || value.isBlank()) {
            return new RequestLimits(DEFAULT_MAX_BODY_BYTES);
        }
        try {
            return new RequestLimits(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_REQUEST_BYTES + " must be a whole number of bytes, got '" + value
                    + "'", e);
        }
    }
}
