package io.github.knthumbnails.image;

/**
 * An 8-bit interleaved raster, row after row with no padding.
 *
 * @param width    in pixels
 * @param height   in pixels
 * @param channels 1 grey, 3 RGB, 4 RGBA with colour premultiplied by alpha
 * @param data     {@code width * height * channels} bytes
 */
record Pixels(int width, int height, int channels, byte[] data) {

    /** The longest array every JVM allocates, in elements (OpenJDK's {@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}). */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    Pixels {
        if ((long) width * height * channels != data.length) {
            throw new IllegalArgumentException(width + "x" + height + "x" + channels + " does not match "
                    + data.length + " bytes");
        }
    }

    /**
     * The size of a raster's buffer, computed without int overflow.
     *
     * @param width    in pixels
     * @param height   in pixels
     * @param channels bytes per pixel
     * @return {@code width * height * channels}, in bytes
     * @throws ImageRejectedException {@code too_large} when that is more than a Java array holds ({@link #MAX_ARRAY})
     */
    static int bytes(int width, int height, int channels) throws ImageRejectedException {
        long bytes = (long) width * height * channels;
        if (bytes > MAX_ARRAY) {
            throw new ImageRejectedException(ImageRejectedException.Reason.TOO_LARGE, "a " + width + "x" + height
                    + " raster of " + channels + " bytes per pixel needs " + bytes + " bytes, more than a Java"
                    + " array holds (" + MAX_ARRAY + ")");
        }
        return (int) bytes;
    }

    /**
     * Applies an EXIF orientation, so the result is the picture as it should be displayed.
     *
     * @param orientation 1-8 (Exif 2.32, tag 0x0112): 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90
     *                    clockwise, 7 transverse, 8 rotate 90 anticlockwise
     * @return the re-oriented raster (this one for orientation 1); 5-8 swap width and height
     */
    Pixels oriented(int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return this;
        }
        boolean swap = orientation >= 5;
        int w = swap ? height : width;
        int h = swap ? width : height;
        byte[] out = new byte[data.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // (sx, sy) is the stored pixel that is displayed at (x, y).
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = width - 1 - x; sy = y; }
                    case 3 -> { sx = width - 1 - x; sy = height - 1 - y; }
                    case 4 -> { sx = x; sy = height - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = height - 1 - x; }
                    case 7 -> { sx = width - 1 - y; sy = height - 1 - x; }
                    default -> { sx = width - 1 - y; sy = x; }
                }
                System.arraycopy(data, (sy * width + sx) * channels, out, (y * w + x) * channels, channels);
            }
        }
        return new Pixels(w, h, channels, out);
    }

    /**
     * Composites premultiplied RGBA onto an opaque background; other rasters are returned as they are.
     *
     * @param background 0xRRGGBB
     * @return an RGB raster
     */
    Pixels flattened(int background) {
        if (channels != 4) {
            return this;
        }
        int[] bg = {background >> 16 & 0xff, background >> 8 & 0xff, background & 0xff};
        byte[] out = new byte[width * height * 3];
        for (int i = 0, o = 0; o < out.length; i += 4) {
            int inverse = 255 - (data[i + 3] & 0xff);
            for (int c = 0; c < 3; c++, o++) {
                out[o] = (byte) Math.min(255, (data[i + c] & 0xff) + (bg[c] * inverse + 127) / 255);
            }
        }
        return new Pixels(width, height, 3, out);
    }
}
