package io.github.knthumbnails.image;

/**
 * Told about each stage of a render as it ends, so a caller can make spans, histograms and the job record's timings
 * from one set of clock readings (issue 11). Called on the rendering thread; an implementation must be quick and must
 * not throw.
 */
@FunctionalInterface
public interface StageListener {

    /** Listens to nothing. */
    StageListener NONE = (stage, rendition, startNanos, endNanos, width, height, detail) -> {
    };

    /** The stages of {@link ImageEngine#render}, in order; {@code RESIZE} and {@code ENCODE} once per rendition. */
    enum Stage {
        /** Admission on the header: format, dimensions, frame count, limits. */
        ADMIT,
        /** The one reduced decode of the first frame, colour conversion to sRGB included. */
        DECODE,
        /** Crop, Lanczos-3 downscale, orientation and profile conversion of one rendition. */
        RESIZE,
        /** JPEG or PNG encoding of one rendition. */
        ENCODE;

        /** @return the lower-case name used for spans ({@code thumbnail.<name>}), metric tags and job records */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param stage      which stage ended
     * @param rendition  the rendition's name for {@code RESIZE} and {@code ENCODE}; {@code null} otherwise
     * @param startNanos when it started, {@link System#nanoTime()}
     * @param endNanos   when it ended, {@link System#nanoTime()}
     * @param width      pixels across of what the stage produced (admit: the source as stored; decode: the reduced
     *                   decode; resize and encode: the rendition)
     * @param height     pixels down, likewise
     * @param detail     the source format (admit, decode) or the rendition's content type (encode); {@code null}
     *                   for resize
     */
    void ended(Stage stage, String rendition, long startNanos, long endNanos, int width, int height, String detail);
}
