package io.github.knthumbnails.storage;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the image engine found the source to be, as its header says (issue 12: the status page shows it).
 * Stored in a job record as {@code source-image: "<format> <width>x<height>"}, e.g. {@code "jpeg 4032x3024"}.
 *
 * @param format the format the engine admitted it as, lower case ({@code jpeg}, {@code png}, {@code webp}, ...)
 * @param width  width in pixels as stored in the file (before any EXIF orientation), 1 to 2^20
 * @param height height in pixels as stored in the file, 1 to 2^20
 */
public record SourceImage(String format, int width, int height) {

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9]{1,10}");
    private static final Pattern VALUE = Pattern.compile("([a-z0-9]{1,10}) (\\d{1,7})x(\\d{1,7})");
    private static final int MAX_SIDE = 1 << 20;

    /**
     * @throws IllegalArgumentException if the format is not 1-10 lower-case letters or digits, or a side is
     *                                  outside 1 to 2^20 pixels
     */
    public SourceImage {
        if (format == null || !FORMAT.matcher(format).matches()) {
            throw new IllegalArgumentException("a source format is 1-10 lower-case letters or digits: " + format);
        }
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("source sides must be 1 to " + MAX_SIDE + " pixels: " + width + "x"
                    + height);
        }
    }

    /** @return the metadata value, e.g. {@code jpeg 4032x3024} */
    String toMetadata() {
        return format + " " + width + "x" + height;
    }

    /**
     * @param value a metadata value, or {@code null}
     * @return what it says; empty when absent or not of the form {@link #toMetadata()} writes (damaged values are
     *     dropped, never fatal: the rest of the record still counts)
     */
    static Optional<SourceImage> fromMetadata(String value) {
        Matcher m = value == null ? null : VALUE.matcher(value);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SourceImage(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
