package io.github.knthumbnails.image;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/**
 * Admission, before any pixel is decoded: no decoder is handed bytes whose decoded size was not admitted (issue 8,
 * finding 2). Byte size, pixel count (a TIFF's whole tile grid), what a decoder holds at full resolution, JPEG
 * scans and processes; the per-format rules (embedded streams, strip and tile geometry, frames on their canvas)
 * are in the header readers.
 */
final class Admission {

    /**
     * The most scans a JPEG may have, as libjpeg-turbo's {@code TJFLAG_LIMITSCANS}: real progressive JPEGs have about
     * 10; thousands make a CPU bomb (issue 8, finding 3).
     */
    static final int MAX_SCANS = TurboJpeg.MAX_SCANS;
    /**
     * The bytes per admitted pixel a decoder may hold at full resolution ({@link SourceHeader#fullBytes()}), so
     * 160 MB at the default {@code MAX_IMAGE_PIXELS}, which sizes the resize pod (issue 8, finding 12). A 4:2:0
     * progressive JPEG (3 bytes of coefficients per pixel, plus padding to whole MCUs) passes at the full pixel
     * limit; 4:4:4 (6) and CMYK (8) progressive JPEGs, and WebPs (TwelveMonkeys decodes them at full size, 4
     * bytes per pixel), pass up to 26.7, 20 and 40 MP.
     */
    static final double FULL_BYTES_PER_PIXEL = 3.2;

    private Admission() {
    }

    /**
     * Admits a source on its header alone (see {@link ImageEngine} for the rules).
     *
     * @param source the whole source object
     * @param limits the limits to admit it against
     * @return its header
     * @throws ImageRejectedException {@code unsupported_format}, {@code corrupt} or {@code too_large}, saying which
     *                                limit or feature and its value
     */
    static SourceHeader admit(byte[] source, ImageLimits limits) throws ImageRejectedException {
        if (source.length == 0) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "the object is empty (0 bytes), not an image");
        }
        if (source.length > limits.maxBytes()) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the object is " + source.length + " bytes; "
                    + ImageLimits.MAX_IMAGE_BYTES + " allows " + limits.maxBytes());
        }
        SourceHeader header = SourceHeader.read(source);
        long pixels = Math.max((long) header.width() * header.height(), header.codedPixels());
        if (pixels > limits.maxPixels()) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the image is " + header.width() + "x"
                    + header.height() + (header.codedPixels() > 0 ? ", coded as " + pixels : " = " + pixels)
                    + " pixels; " + ImageLimits.MAX_IMAGE_PIXELS + " allows " + limits.maxPixels());
        }
        long fullBudget = (long) (FULL_BYTES_PER_PIXEL * limits.maxPixels());
        if (header.fullBytes() > fullBudget) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "decoding the " + header.format() + " needs "
                    + header.fullBytes() + " bytes at full resolution (" + (header.jpeg() != null
                    ? "the DCT coefficients of a progressive or multi-scan JPEG"
                    : header.format() == SourceHeader.Format.WEBP ? "the WebP decoder's full-size raster"
                    : "its largest tile or strip")
                    + "); " + FULL_BYTES_PER_PIXEL + " bytes x " + ImageLimits.MAX_IMAGE_PIXELS + " allows "
                    + fullBudget);
        }
        if (header.jpeg() != null && !header.jpeg().decodable()) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "not a JPEG this function can read ("
                    + header.jpeg().whyNotDecodable() + ")");
        }
        if (header.jpeg() != null && header.jpeg().scans() > MAX_SCANS) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the JPEG has " + header.jpeg().scans()
                    + " scans; at most " + MAX_SCANS + " are decoded (each is a pass over the image)");
        }
        return header;
    }
}
