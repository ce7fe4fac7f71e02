package io.github.knthumbnails.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

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
 */
record SourceHeader(Format format, int width, int height, int frames, int orientation, Jpeg jpeg, int frameX,
                    int frameY) {

    SourceHeader(Format format, int width, int height, int frames, int orientation, Jpeg jpeg) {
        this(format, width, height, frames, orientation, jpeg, 0, 0);
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
     */
    record Jpeg(int sofMarker, int precision, int components, int adobeTransform, byte[] iccProfile) {

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
     *                                descriptor, WebP ANMF or bitstream) that does not fit on its canvas
     */
    static SourceHeader read(byte[] b) throws ImageRejectedException {
        try {
            if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
                return jpeg(b);
            }
            if (startsWith(b, 0, "\u0089PNG\r\n\u001a\n")) {
                return png(b);
            }
            if (startsWith(b, 0, "GIF87a") || startsWith(b, 0, "GIF89a")) {
                return gif(b);
            }
            if (startsWith(b, 0, "RIFF") && startsWith(b, 8, "WEBP")) {
                return webp(b);
            }
            if (startsWith(b, 0, "BM") && b.length >= 26) {
                return checked(new SourceHeader(Format.BMP, Math.abs(le32(b, 18)), Math.abs(le32(b, 22)), 1, 1, null));
            }
            if (startsWith(b, 0, "II*\0") || startsWith(b, 0, "MM\0*")) {
                return new SourceHeader(Format.TIFF, 0, 0, 1, 1, null); // dimensions come from the TIFF reader
            }
        } catch (RuntimeException e) { // an offset in the header that points past the end or overflows
            throw new ImageRejectedException(Reason.CORRUPT, "the image header is cut short or malformed ("
                    + b.length + " bytes in all)", e);
        }
        throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "not an image format this function can read ("
                + describe(b) + ")");
    }

    private static SourceHeader jpeg(byte[] b) throws ImageRejectedException {
        int orientation = 1;
        int adobe = -1;
        ByteArrayOutputStream icc = null;
        int pos = 2;
        while (true) {
            if (pos >= b.length) {
                throw new ImageRejectedException(Reason.CORRUPT, "the JPEG ends before its frame header (SOF)");
            }
            if ((b[pos] & 0xff) != 0xFF) {
                throw new ImageRejectedException(Reason.CORRUPT, "the JPEG header is malformed: no marker at byte "
                        + pos);
            }
            int marker = b[pos + 1] & 0xff;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new ImageRejectedException(Reason.CORRUPT, "the JPEG has no frame header (SOF) before "
                        + (marker == 0xD9 ? "its end" : "its image data"));
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                pos += 2; // markers without a length
                continue;
            }
            int length = be16(b, pos + 2);
            int data = pos + 4;
            if (length < 2 || data + length - 2 > b.length) {
                throw new ImageRejectedException(Reason.CORRUPT, "the JPEG header is cut short or malformed (segment"
                        + " 0x" + Integer.toHexString(marker) + " at byte " + pos + ")");
            }
            if (marker == 0xE1 && orientation == 1 && startsWith(b, data, "Exif\0\0")) {
                orientation = exifOrientation(b, data + 6, data + length - 2);
            } else if (marker == 0xE2 && startsWith(b, data, "ICC_PROFILE\0") && length > 16) {
                icc = icc == null ? new ByteArrayOutputStream() : icc;
                icc.write(b, data + 14, length - 16); // chunks arrive in order in practice (ICC.1 B.4)
            } else if (marker == 0xEE && startsWith(b, data, "Adobe") && length >= 14) {
                adobe = b[data + 11] & 0xff;
            } else if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                int precision = b[data] & 0xff;
                int height = be16(b, data + 1);
                int width = be16(b, data + 3);
                int components = b[data + 5] & 0xff;
                if (width == 0 || height == 0) {
                    throw new ImageRejectedException(Reason.CORRUPT, "the JPEG frame header declares " + width + "x"
                            + height + " pixels");
                }
                return new SourceHeader(Format.JPEG, width, height, 1, orientation,
                        new Jpeg(marker, precision, components, adobe, icc == null ? null : icc.toByteArray()));
            }
            pos = data + length - 2;
        }
    }

    /** Reads tag 0x0112 from IFD0 of the TIFF structure in an Exif APP1 segment; 1 if absent or out of range. */
    private static int exifOrientation(byte[] b, int tiff, int end) {
        if (end - tiff < 8) {
            return 1;
        }
        boolean little = b[tiff] == 'I';
        int ifd = tiff + (int) u32(b, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return 1;
        }
        int entries = u16(b, ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, little) == 0x0112) {
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static SourceHeader png(byte[] b) throws ImageRejectedException {
        if (!startsWith(b, 12, "IHDR")) {
            throw new ImageRejectedException(Reason.CORRUPT, "the PNG does not start with an IHDR chunk");
        }
        int width = be32(b, 16);
        int height = be32(b, 20);
        int[] acTL = pngChunk(b, "acTL"); // APNG animation control: the frame count comes first
        int frames = acTL != null && acTL[1] >= 8 ? Math.max(1, be32(b, acTL[0])) : 1;
        return checked(new SourceHeader(Format.PNG, width, height, frames, 1, null));
    }

    /** The largest embedded ICC profile we inflate, in bytes; real ones are a few kB to a few hundred kB. */
    static final int MAX_ICC_BYTES = 4 << 20;

    /**
     * The ICC profile a PNG embeds in its {@code iCCP} chunk (PNG spec, 11.3.3.3: a profile name, a NUL, compression
     * method 0, then the zlib-compressed profile). The JDK's PNG reader parses the chunk but never applies it.
     *
     * @param b the whole PNG
     * @return the profile's bytes, or {@code null} when there is none, or it is malformed or over
     *         {@value #MAX_ICC_BYTES} bytes (then the pixels are taken as sRGB, as browsers do)
     */
    static byte[] pngIccProfile(byte[] b) {
        int[] iccp = pngChunk(b, "iCCP");
        if (iccp == null) {
            return null;
        }
        int end = iccp[0] + iccp[1];
        int nul = iccp[0];
        while (nul < end && b[nul] != 0) {
            nul++;
        }
        if (nul + 2 > end || b[nul + 1] != 0) {
            return null;
        }
        return inflate(b, nul + 2, end - nul - 2);
    }

    /**
     * Finds a chunk among those before a PNG's image data, where {@code acTL} and {@code iCCP} must sit (PNG spec
     * 5.6, APNG spec).
     *
     * @param b    the whole PNG
     * @param type the chunk type, e.g. {@code iCCP}
     * @return {offset of the chunk's data, its length in bytes}, or {@code null} when there is no such chunk before
     *         {@code IDAT} or the chunk list is cut short
     */
    private static int[] pngChunk(byte[] b, String type) {
        for (int pos = 8; pos + 8 <= b.length; ) {
            long length = be32(b, pos) & 0xffffffffL;
            if (startsWith(b, pos + 4, "IDAT") || pos + 12 + length > b.length) {
                return null;
            }
            if (startsWith(b, pos + 4, type)) {
                return new int[] {pos + 8, (int) length};
            }
            pos += (int) length + 12;
        }
        return null;
    }

    private static byte[] inflate(byte[] b, int offset, int length) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, offset, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_ICC_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static SourceHeader gif(byte[] b) throws ImageRejectedException {
        int width = le16(b, 6);
        int height = le16(b, 8);
        int frames = 0;
        int frameX = 0;
        int frameY = 0;
        int frameW = 0;
        int frameH = 0;
        int pos = 13;
        if ((b[10] & 0x80) != 0) {
            pos += 3 << ((b[10] & 7) + 1); // global colour table
        }
        // Count image descriptors, skipping extensions and LZW data sub-blocks (GIF89a spec, 17-23).
        while (pos < b.length) {
            int block = b[pos] & 0xff;
            if (block == 0x3B) {
                break;
            } else if (block == 0x21) {
                pos = skipSubBlocks(b, pos + 2);
            } else if (block == 0x2C) {
                if (frames++ == 0) {
                    frameX = le16(b, pos + 1);
                    frameY = le16(b, pos + 3);
                    frameW = le16(b, pos + 5);
                    frameH = le16(b, pos + 7);
                }
                int flags = b[pos + 9] & 0xff;
                pos += 10;
                if ((flags & 0x80) != 0) {
                    pos += 3 << ((flags & 7) + 1);
                }
                pos = skipSubBlocks(b, pos + 1);
            } else {
                break;
            }
        }
        return withinCanvas(checked(new SourceHeader(Format.GIF, width, height, Math.max(1, frames), 1, null, frameX,
                frameY)), frameW, frameH);
    }

    private static int skipSubBlocks(byte[] b, int pos) {
        while (pos < b.length && b[pos] != 0) {
            pos += (b[pos] & 0xff) + 1;
        }
        return pos + 1;
    }

    private static SourceHeader webp(byte[] b) throws ImageRejectedException {
        int[] canvas = null; // VP8X: width, height
        int[] bitstream = null; // the first VP8/VP8L bitstream: width, height
        int[] frame = null; // the first ANMF: x, y, width, height
        int frames = 0;
        for (int pos = 12; pos + 8 <= b.length; ) {
            int size = le32(b, pos + 4);
            int data = pos + 8;
            if (size < 0) {
                break;
            }
            if (startsWith(b, pos, "VP8X")) {
                canvas = new int[] {le24(b, data + 4) + 1, le24(b, data + 7) + 1};
            } else if (startsWith(b, pos, "ANMF")) {
                if (frames++ == 0) {
                    frame = new int[] {2 * le24(b, data), 2 * le24(b, data + 3), le24(b, data + 6) + 1,
                            le24(b, data + 9) + 1};
                    // The frame's own chunks (ALPH, VP8, VP8L) follow its 16-byte header (WebP container, ANMF).
                    for (int sub = data + 16; sub + 8 <= Math.min(b.length, data + size) && bitstream == null; ) {
                        bitstream = bitstream(b, sub);
                        int subSize = le32(b, sub + 4);
                        if (subSize < 0) {
                            break;
                        }
                        sub += 8 + subSize + (subSize & 1);
                    }
                }
            } else if (bitstream == null) {
                bitstream = bitstream(b, pos);
            }
            pos = data + size + (size & 1);
        }
        int[] size = canvas != null ? canvas : bitstream != null ? bitstream : new int[] {0, 0};
        SourceHeader h = checked(new SourceHeader(Format.WEBP, size[0], size[1], Math.max(1, frames), 1, null,
                frame == null ? 0 : frame[0], frame == null ? 0 : frame[1]));
        // The decoders allocate the first frame at its own size (TwelveMonkeys: the ANMF bounds, else the
        // bitstream's), so neither may exceed the canvas the pixel limit was checked against.
        if (frame != null) {
            h = withinCanvas(h, frame[2], frame[3]);
        }
        return bitstream == null ? h : withinCanvas(h, bitstream[0], bitstream[1]);
    }

    /** @return the width and height of a {@code VP8 } or {@code VP8L} chunk at {@code pos}, else {@code null} */
    private static int[] bitstream(byte[] b, int pos) {
        int data = pos + 8;
        if (startsWith(b, pos, "VP8 ")) {
            return new int[] {le16(b, data + 6) & 0x3fff, le16(b, data + 8) & 0x3fff};
        }
        if (startsWith(b, pos, "VP8L")) {
            int bits = le32(b, data + 1);
            return new int[] {(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1};
        }
        return null;
    }

    /**
     * Rejects a first frame of {@code width} x {@code height} pixels that does not fit on the canvas at its offset:
     * decoders allocate the frame at its own size, so a 1x1 canvas with a huge frame would slip past the pixel
     * limit, which is checked against the canvas.
     */
    private static SourceHeader withinCanvas(SourceHeader h, int width, int height) throws ImageRejectedException {
        if ((long) h.frameX() + width > h.width() || (long) h.frameY() + height > h.height()) {
            throw new ImageRejectedException(Reason.CORRUPT, "the " + h.format() + " frame of " + width + "x" + height
                    + " pixels at (" + h.frameX() + ", " + h.frameY() + ") does not fit on its " + h.width() + "x"
                    + h.height() + " canvas");
        }
        return h;
    }

    private static SourceHeader checked(SourceHeader h) throws ImageRejectedException {
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
        if (startsWith(b, 0, "%PDF")) {
            return "it is a PDF document";
        }
        if (b.length >= 12 && startsWith(b, 4, "ftyp")) {
            String brand = new String(b, 8, 4, StandardCharsets.US_ASCII);
            return brand.startsWith("avi") ? "it is an AVIF image, which is not supported"
                    : brand.startsWith("hei") || brand.startsWith("mif")
                    ? "it is a HEIC/HEIF image, which is not supported"
                    : "it is an ISO media file (" + brand + ")";
        }
        if (startsWith(b, 0, "PK")) {
            return "it is a ZIP archive";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            hex.append(String.format("%02x", b[i] & 0xff));
        }
        return "it starts with bytes " + hex;
    }

    private static boolean startsWith(byte[] b, int offset, String ascii) {
        if (b.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if ((b[offset + i] & 0xff) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int be16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }

    private static int be32(byte[] b, int p) {
        return be16(b, p) << 16 | be16(b, p + 2);
    }

    private static int le16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    private static int le24(byte[] b, int p) {
        return le16(b, p) | (b[p + 2] & 0xff) << 16;
    }

    private static int le32(byte[] b, int p) {
        return le16(b, p) | le16(b, p + 2) << 16;
    }

    private static int u16(byte[] b, int p, boolean little) {
        return little ? le16(b, p) : be16(b, p);
    }

    private static long u32(byte[] b, int p, boolean little) {
        return (little ? le32(b, p) : be32(b, p)) & 0xffffffffL;
    }
}
