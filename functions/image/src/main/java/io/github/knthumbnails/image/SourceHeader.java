package io.github.knthumbnails.image;

import java.nio.charset.StandardCharsets;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/**
 * What the first bytes of a source say, read without decoding a single pixel: the format (from magic bytes,
 * never the name or Content-Type), the dimensions, the frame count, and for JPEG the coding process, the colour
 * model, the EXIF orientation and any ICC profile.
 *
 * @param format      the container format
 * @param width       stored width in pixels (before EXIF orientation)
 * @param height      stored height in pixels
 * @param frames      number of frames (animations: GIF image descriptors, WebP {@code ANMF} chunks, APNG
 *                    {@code acTL}); 1 for still images; only the first is rendered
 * @param orientation EXIF orientation 1-8 (TIFF 6.0 / Exif 2.32 tag 0x0112), 1 when absent or invalid
 * @param jpeg        JPEG details, {@code null} for other formats
 * @param frameX      left offset of the first frame on the canvas, in pixels (GIF image descriptor, WebP ANMF)
 * @param frameY      top offset of the first frame on the canvas
 * @param codedPixels the pixels the decoder decodes, when more than {@code width * height}: a TIFF's whole grid of
 *                    tiles, padding included; 0 otherwise (issue 8, finding 2)
 * @param fullBytes   the bytes a decoder holds at full resolution however much it reduces the output: every DCT
 *                    coefficient of a progressive or multi-scan JPEG (libjpeg's whole-image coefficient arrays, 2
 *                    bytes each), a TIFF's largest tile or strip, a WebP's whole ARGB raster (TwelveMonkeys'
 *                    reader); 0 when decoding streams rows into the reduced
 *                    raster (issue 8, findings 2 and 12)
 */
record SourceHeader(Format format, int width, int height, int frames, int orientation, Jpeg jpeg, int frameX,
                    int frameY, long codedPixels, long fullBytes) {

    SourceHeader(Format format, int width, int height, int frames, int orientation, Jpeg jpeg) {
        this(format, width, height, frames, orientation, jpeg, 0, 0);
    }

    SourceHeader(Format format, int width, int height, int frames, int orientation, Jpeg jpeg, int frameX,
                 int frameY) {
        this(format, width, height, frames, orientation, jpeg, frameX, frameY, 0, 0);
    }

    /** Formats recognised from their magic bytes. */
    enum Format {
        JPEG, PNG, GIF, WEBP, BMP, TIFF
    }

    /**
     * JPEG frame details (ITU-T T.81).
     *
     * @param sofMarker      the start-of-frame marker, e.g. 0xC0 baseline, 0xC2 progressive, 0xC3 lossless
     * @param precision      sample precision in bits (8, or 12/16 for extended and lossless processes)
     * @param components     1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK
     * @param adobeTransform the Adobe APP14 colour transform (0 none/CMYK, 1 YCbCr, 2 YCCK), -1 without APP14;
     *                       Adobe CMYK is stored inverted
     * @param iccProfile     the ICC profile reassembled from APP2 {@code ICC_PROFILE} chunks, or {@code null}
     * @param scans          the number of SOS markers after the frame header (an upper bound on the scans a
     *                       decoder runs: every one is a pass over the image, issue 8, finding 3)
     */
    record Jpeg(int sofMarker, int precision, int components, int adobeTransform, byte[] iccProfile, int scans) {

        /** @return whether it is coded progressively (SOF2, SOF10) */
        boolean progressive() {
            return sofMarker == 0xC2 || sofMarker == 0xCA;
        }

        /** @return whether an Adobe APP14 segment is present */
        boolean adobe() {
            return adobeTransform >= 0;
        }

        /** @return whether a libjpeg-class decoder reads it: 8-bit Huffman or arithmetic, sequential or progressive */
        boolean decodable() {
            return precision == 8 && (sofMarker == 0xC0 || sofMarker == 0xC1 || sofMarker == 0xC2
                    || sofMarker == 0xC9 || sofMarker == 0xCA);
        }

        /** @return why it is not {@link #decodable()}, as a readable phrase */
        String whyNotDecodable() {
            if (sofMarker == 0xC3 || sofMarker == 0xCB) {
                return "it is a lossless JPEG (SOF" + (sofMarker - 0xC0) + "), which is not supported";
            }
            if (precision != 8) {
                return "it is a " + precision + "-bit JPEG; only 8-bit JPEGs are supported";
            }
            return "it uses the JPEG process SOF" + (sofMarker - 0xC0) + ", which is not supported";
        }
    }

    /**
     * Reads the header of a source.
     *
     * @param b the whole source, at least one byte
     * @return the header
     * @throws ImageRejectedException {@code unsupported_format} for a non-image or a format we do not decode (the
     *                                message names it, e.g. PDF, HEIC, AVIF), {@code corrupt} when a recognised
     *                                header is cut short or malformed, or declares a first frame (GIF image
     *                                descriptor, WebP ANMF or bitstream) that does not fit on its canvas;
     *                                {@code unsupported_format} also for a BMP or TIFF that embeds a JPEG or PNG
     *                                stream (issue 8, finding 2)
     */
    static SourceHeader read(byte[] b) throws ImageRejectedException {
        try {
            if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
                return JpegHeader.read(b);
            }
            if (Bytes.startsWith(b, 0, "\u0089PNG\r\n\u001a\n")) {
                return PngHeader.read(b);
            }
            if (Bytes.startsWith(b, 0, "GIF87a") || Bytes.startsWith(b, 0, "GIF89a")) {
                return GifHeader.read(b);
            }
            if (Bytes.startsWith(b, 0, "RIFF") && Bytes.startsWith(b, 8, "WEBP")) {
                return WebpHeader.read(b);
            }
            if (Bytes.startsWith(b, 0, "BM") && b.length >= 26) {
                return BmpHeader.read(b);
            }
            if (Bytes.startsWith(b, 0, "II*\0") || Bytes.startsWith(b, 0, "MM\0*")) {
                return TiffHeader.read(b);
            }
        } catch (RuntimeException e) { // an offset in the header that points past the end or overflows
            throw new ImageRejectedException(Reason.CORRUPT, "the image header is cut short or malformed ("
                    + b.length + " bytes in all)", e);
        }
        throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "not an image format this function can read ("
                + describe(b) + ")");
    }

    /**
     * Rejects a first frame of {@code width} x {@code height} pixels that does not fit on the canvas at its offset:
     * decoders allocate the frame at its own size, so a 1x1 canvas with a huge frame would slip past the pixel
     * limit, which is checked against the canvas.
     */
    static SourceHeader withinCanvas(SourceHeader h, int width, int height) throws ImageRejectedException {
        if ((long) h.frameX() + width > h.width() || (long) h.frameY() + height > h.height()) {
            throw new ImageRejectedException(Reason.CORRUPT, "the " + h.format() + " frame of " + width + "x" + height
                    + " pixels at (" + h.frameX() + ", " + h.frameY() + ") does not fit on its " + h.width() + "x"
                    + h.height() + " canvas");
        }
        return h;
    }

    static SourceHeader checked(SourceHeader h) throws ImageRejectedException {
        if (h.width() <= 0 || h.height() <= 0) {
            throw new ImageRejectedException(Reason.CORRUPT, "the " + h.format() + " header declares " + h.width()
                    + "x" + h.height() + " pixels");
        }
        return h;
    }

    /** Names well-known non-image and unsupported formats by their magic bytes, for readable failure reasons. */
    static String describe(byte[] b) {
        if (b.length == 0) {
            return "the object is empty (0 bytes)";
        }
        if (Bytes.startsWith(b, 0, "%PDF")) {
            return "it is a PDF document";
        }
        if (b.length >= 12 && Bytes.startsWith(b, 4, "ftyp")) {
            String brand = new String(b, 8, 4, StandardCharsets.US_ASCII);
            return brand.startsWith("avi") ? "it is an AVIF image, which is not supported"
                    : brand.startsWith("hei") || brand.startsWith("mif")
                    ? "it is a HEIC/HEIF image, which is not supported"
                    : "it is an ISO media file (" + brand + ")";
        }
        if (Bytes.startsWith(b, 0, "PK")) {
            return "it is a ZIP archive";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            hex.append(String.format("%02x", b[i] & 0xff));
        }
        return "it starts with bytes " + hex;
    }
}
