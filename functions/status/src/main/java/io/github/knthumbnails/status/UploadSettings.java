package io.github.knthumbnails.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.github.knthumbnails.storage.Layout;

/**
 * How {@code POST /uploads} hands out browser upload forms (issue 12; {@link UploadController}), read from the
 * environment at start-up. Part of {@link StatusSettings}.
 *
 * @param enabled  whether {@code POST /uploads} signs anything ({@value #BROWSER_UPLOADS}); off by default, so a
 *                 deployment that forgets the variable does not open writes to its upload buckets
 * @param prefix   what every upload key starts with ({@value #UPLOADS_PREFIX}), e.g. {@code uploads/}; never empty,
 *                 never starting with {@code /}, no {@code .}, {@code ..} or empty path segment
 * @param expiry   how long a signed form stays usable ({@value #UPLOADS_EXPIRY_SECONDS}), 1 s to 1 h
 * @param maxBytes the largest file a form accepts, in bytes ({@value #MAX_IMAGE_BYTES}); the same variable and
 *                 default as the resize function's limit ({@code io.github.knthumbnails.image.ImageLimits}), so
 *                 storage refuses what resize would only mark {@code too_large}
 */
public record UploadSettings(boolean enabled, String prefix, Duration expiry, long maxBytes) {

    /** {@code true} or {@code false}; default {@code false}. */
    public static final String BROWSER_UPLOADS = "BROWSER_UPLOADS";
    /** Key prefix of browser uploads; default {@value #DEFAULT_PREFIX}. */
    public static final String UPLOADS_PREFIX = "UPLOADS_PREFIX";
    /** Lifetime of a signed upload form in seconds, 1 to 3600; default 300. */
    public static final String UPLOADS_EXPIRY_SECONDS = "UPLOADS_EXPIRY_SECONDS";
    /** Largest upload in bytes; default {@value #DEFAULT_MAX_IMAGE_BYTES} (50 MiB), as resize's limit. */
    public static final String MAX_IMAGE_BYTES = "MAX_IMAGE_BYTES";
    /** The default of {@value #UPLOADS_PREFIX}. */
    public static final String DEFAULT_PREFIX = "uploads/";
    /** The default of {@value #MAX_IMAGE_BYTES}: 50 MiB, the default of the resize function's {@code ImageLimits}. */
    public static final long DEFAULT_MAX_IMAGE_BYTES = 50L * 1024 * 1024;
    /** The environment variables this record reads. */
    public static final List<String> VARIABLES = List.of(BROWSER_UPLOADS, UPLOADS_PREFIX, UPLOADS_EXPIRY_SECONDS,
            MAX_IMAGE_BYTES);
    /**
     * The longest prefix, in UTF-8 bytes: what leaves room in S3's 1024-byte key for the time stamp, the random
     * part and a file name of {@link UploadKeys#MAX_NAME_LENGTH} characters.
     */
    static final int MAX_PREFIX_BYTES = Layout.MAX_KEY_BYTES - UploadKeys.MAX_SUFFIX_LENGTH;

    /**
     * @throws IllegalArgumentException naming the variable, if a value is out of range (see the components)
     */
    public UploadSettings {
        checkPrefix(prefix);
        if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(UPLOADS_EXPIRY_SECONDS + " must be 1 to 3600 seconds, got "
                    + expiry.toSeconds());
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException(MAX_IMAGE_BYTES + " must be positive, got " + maxBytes);
        }
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset; a blank value counts as unset
     * @return the settings, defaults filled in
     * @throws IllegalArgumentException naming the variable, if a value is invalid
     */
    public static UploadSettings from(Function<String, String> env) {
        String enabled = blankToNull(env.apply(BROWSER_UPLOADS));
        boolean on;
        if (enabled == null || enabled.toLowerCase(Locale.ROOT).equals("false")) {
            on = false;
        } else if (enabled.toLowerCase(Locale.ROOT).equals("true")) {
            on = true;
        } else {
            throw new IllegalArgumentException(BROWSER_UPLOADS + " must be true or false, got '" + enabled + "'");
        }
        String prefix = blankToNull(env.apply(UPLOADS_PREFIX));
        return new UploadSettings(on, prefix == null ? DEFAULT_PREFIX : prefix,
                Duration.ofSeconds(number(env, UPLOADS_EXPIRY_SECONDS, 300)),
                number(env, MAX_IMAGE_BYTES, DEFAULT_MAX_IMAGE_BYTES));
    }

    private static void checkPrefix(String prefix) {
        String problem = null;
        if (prefix == null || prefix.isEmpty()) {
            problem = "must not be empty";
        } else if (prefix.startsWith("/")) {
            problem = "must not start with '/' (keys have no leading slash)";
        } else if (prefix.contains("//")) {
            problem = "must not contain an empty path segment ('//')";
        } else if (prefix.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            problem = "must not contain control characters";
        } else if (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_PREFIX_BYTES) {
            problem = "must be at most " + MAX_PREFIX_BYTES + " UTF-8 bytes";
        } else if (!Layout.isStorable(prefix + "x")) {
            problem = "must not have a '.' or '..' path segment";
        }
        if (problem != null) {
            throw new IllegalArgumentException(UPLOADS_PREFIX + " " + problem + ", got '" + prefix + "'");
        }
    }

    private static long number(Function<String, String> env, String name, long fallback) {
        String value = blankToNull(env.apply(name));
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
