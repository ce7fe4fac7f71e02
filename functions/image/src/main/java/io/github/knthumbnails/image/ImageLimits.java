package io.github.knthumbnails.image;

import java.util.List;
import java.util.function.Function;

/**
 * Admission limits, checked before anything is decoded so a hostile file cannot exhaust memory.
 *
 * @param maxBytes  largest accepted source object, in bytes
 * @param maxPixels largest accepted width × height, in pixels, as declared by the image header
 */
public record ImageLimits(long maxBytes, long maxPixels) {

    /** Largest source in bytes; default 52428800 (50 MiB). */
    public static final String MAX_IMAGE_BYTES = "MAX_IMAGE_BYTES";
    /** Largest source in pixels (width × height); default 50000000 (50 MP). */
    public static final String MAX_IMAGE_PIXELS = "MAX_IMAGE_PIXELS";
    /** The environment variables this record reads. */
    public static final List<String> VARIABLES = List.of(MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS);

    /** @throws IllegalArgumentException if a limit is not positive */
    public ImageLimits {
        if (maxBytes < 1 || maxPixels < 1) {
            throw new IllegalArgumentException(MAX_IMAGE_BYTES + " and " + MAX_IMAGE_PIXELS + " must be positive");
        }
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the limits, defaults filled in
     * @throws IllegalArgumentException if a value is not a positive whole number
     */
    public static ImageLimits from(Function<String, String> env) {
        return new ImageLimits(number(env, MAX_IMAGE_BYTES, 50L * 1024 * 1024), number(env, MAX_IMAGE_PIXELS, 50_000_000L));
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
