package io.github.knthumbnails.image;

import java.util.List;
import java.util.function.Function;

/**
 * Admission limits, checked before anything is decoded so a hostile file cannot exhaust memory.
 *
 * @param maxBytes   largest accepted source object, in bytes
 * @param maxPixels  largest accepted width × height, in pixels, as declared by the image header (and by any
 *                   embedded stream, TIFF tile or strip: issue 8, finding 2)
 * @param deadlineMs longest one render may take, in milliseconds, checked between pipeline stages (decode, each
 *                   rendition's resize and encode); an overrun is {@code deadline_exceeded}, a
 *                   {@code failed} record that is not final (issue 8, finding 3)
 */
public record ImageLimits(long maxBytes, long maxPixels, long deadlineMs) {

    /** Largest source in bytes; default 52428800 (50 MiB). */
    public static final String MAX_IMAGE_BYTES = "MAX_IMAGE_BYTES";
    /** Largest source in pixels (width × height); default 50000000 (50 MP). */
    public static final String MAX_IMAGE_PIXELS = "MAX_IMAGE_PIXELS";
    /**
     * Longest one render may take in milliseconds; default 20000 (20 s), a third of the Trigger's 60 s attempt
     * timeout, and several times the measured worst case of any admitted input on one core (README, limits).
     */
    public static final String IMAGE_DEADLINE_MS = "IMAGE_DEADLINE_MS";
    /** The default of {@link #IMAGE_DEADLINE_MS}, in milliseconds. */
    public static final long DEFAULT_DEADLINE_MS = 20_000;
    /** The environment variables this record reads. */
    public static final List<String> VARIABLES = List.of(MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, IMAGE_DEADLINE_MS);

    /** @throws IllegalArgumentException if a limit is not positive */
    public ImageLimits {
        if (maxBytes < 1 || maxPixels < 1 || deadlineMs < 1) {
            throw new IllegalArgumentException(MAX_IMAGE_BYTES + ", " + MAX_IMAGE_PIXELS + " and "
                    + IMAGE_DEADLINE_MS + " must be positive");
        }
    }

    /**
     * Limits with the default deadline ({@value #DEFAULT_DEADLINE_MS} ms).
     *
     * @param maxBytes  largest accepted source object, in bytes
     * @param maxPixels largest accepted width × height, in pixels
     */
    public ImageLimits(long maxBytes, long maxPixels) {
        this(maxBytes, maxPixels, DEFAULT_DEADLINE_MS);
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the limits, defaults filled in
     * @throws IllegalArgumentException if a value is not a positive whole number
     */
    public static ImageLimits from(Function<String, String> env) {
        return new ImageLimits(number(env, MAX_IMAGE_BYTES, 50L * 1024 * 1024),
                number(env, MAX_IMAGE_PIXELS, 50_000_000L), number(env, IMAGE_DEADLINE_MS, DEFAULT_DEADLINE_MS));
    }

    private static long number(Function<String, String> env, String name, long fallback) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }
}
