package io.github.knthumbnails.image;

import java.util.Locale;

/**
 * Which part of the picture, as displayed (after EXIF orientation), a cover crop keeps; the compass names of
 * libvips/sharp and imgproxy (issue 13). {@link #SMART} chooses by saliency ({@link SmartCrop}).
 */
public enum Gravity {
    /** The middle (the default). */
    CENTER(0.5, 0.5),
    /** The top edge, centred across. */
    NORTH(0.5, 0),
    /** The bottom edge. */
    SOUTH(0.5, 1),
    /** The right edge. */
    EAST(1, 0.5),
    /** The left edge. */
    WEST(0, 0.5),
    /** The top right corner. */
    NORTHEAST(1, 0),
    /** The top left corner. */
    NORTHWEST(0, 0),
    /** The bottom right corner. */
    SOUTHEAST(1, 1),
    /** The bottom left corner. */
    SOUTHWEST(0, 1),
    /** Where edges, saturated colour and skin tones are, found on the decoded image. */
    SMART(0.5, 0.5);

    private final double x;
    private final double y;

    Gravity(double x, double y) {
        this.x = x;
        this.y = y;
    }

    /** @return where the crop sits across, 0 left to 1 right, on the displayed picture */
    double x() {
        return x;
    }

    /** @return where the crop sits down, 0 top to 1 bottom, on the displayed picture */
    double y() {
        return y;
    }

    /** @return the name {@code RENDITIONS} spells it with, e.g. {@code northwest} */
    String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
