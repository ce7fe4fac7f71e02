package io.github.knthumbnails.image;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/**
 * Reads the first IFD of a TIFF (TIFF 6.0, section 2), the one the JDK's TIFF reader decodes: dimensions, samples,
 * compression, and the strip or tile geometry the decoder allocates and works through (issue 8, finding 2).
 *
 * <ul>
 *   <li>JPEG (7) and old-style JPEG (6) compression are refused: each strip or tile is a JPEG stream decoded at its
 *       own declared size, which the IFD does not bound. They are rare outside scanners, and refusing needs no
 *       JPEG parser per tile;</li>
 *   <li>every tag's value must lie inside the file, so no count makes the reader allocate more than the file;</li>
 *   <li>there must be an offset and a byte count for every strip or tile the geometry implies;</li>
 *   <li>the grid of tiles, padding included, is what gets decoded: {@link SourceHeader#codedPixels()}; the largest
 *       tile or strip is held whole: {@link SourceHeader#fullBytes()}, at most {@value #MAX_UNIT_BYTES} bytes.</li>
 * </ul>
 */
final class TiffHeader {

    private static final int WIDTH = 256;
    private static final int LENGTH = 257;
    private static final int BITS_PER_SAMPLE = 258;
    private static final int COMPRESSION = 259;
    private static final int STRIP_OFFSETS = 273;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int ROWS_PER_STRIP = 278;
    private static final int STRIP_BYTE_COUNTS = 279;
    private static final int PLANAR_CONFIGURATION = 284;
    private static final int TILE_WIDTH = 322;
    private static final int TILE_LENGTH = 323;
    private static final int TILE_OFFSETS = 324;
    private static final int TILE_BYTE_COUNTS = 325;
    /** The most bits per pixel we decode: 4 samples of 16 bits (e.g. 16-bit RGBA or CMYK). */
    static final int MAX_BITS_PER_PIXEL = 64;
    /**
     * The largest strip or tile we decode, in bytes (64 MiB): the JDK's reader holds one whole, decompressed, on the
     * heap, however much it subsamples (issue 8, finding 12). TIFF 6.0 recommends strips of about 8 KB; libtiff and
     * most writers follow it; a 50 MP 8-bit RGB image in one strip (150 MB) is refused.
     */
    static final long MAX_UNIT_BYTES = 64L << 20;

    private TiffHeader() {
    }

    /**
     * @param b the whole source, starting with {@code II*\0} or {@code MM\0*}
     * @return the header, with {@link SourceHeader#codedPixels()} and {@link SourceHeader#fullBytes()} set
     * @throws ImageRejectedException {@code unsupported_format} for JPEG compression or over
     *                                {@value #MAX_BITS_PER_PIXEL} bits per pixel; {@code too_large} for a strip or
     *                                tile over {@value #MAX_UNIT_BYTES} bytes; {@code corrupt} when the IFD is
     *                                cut short, a value lies outside the file, or strips/tiles are missing
     */
    static SourceHeader read(byte[] b) throws ImageRejectedException {
        boolean little = b[0] == 'I';
        long ifd = Bytes.u32(b, 4, little);
        if (ifd < 8 || ifd + 2 > b.length) {
            throw corrupt("its first IFD offset " + ifd + " lies outside the file");
        }
        int entries = Bytes.u16(b, (int) ifd, little);
        if (ifd + 2 + 12L * entries > b.length) {
            throw corrupt("its first IFD of " + entries + " entries is cut short");
        }
        long[] first = new long[TILE_BYTE_COUNTS + 1];
        long[] count = new long[TILE_BYTE_COUNTS + 1];
        int maxBits = 0;
        for (int i = 0; i < entries; i++) { // at most 65535 entries, each read once
            int e = (int) ifd + 2 + 12 * i;
            int tag = Bytes.u16(b, e, little);
            int type = Bytes.u16(b, e + 2, little);
            long n = Bytes.u32(b, e + 4, little);
            long size = n * typeSize(type);
            int value = e + 8;
            if (size > 4) {
                long offset = Bytes.u32(b, e + 8, little);
                if (offset + size > b.length) {
                    throw corrupt("the value of tag " + tag + " (" + size + " bytes at " + offset
                            + ") lies outside the file");
                }
                value = (int) offset;
            }
            if (tag <= TILE_BYTE_COUNTS && n > 0 && (type == 3 || type == 4)) {
                count[tag] = n;
                first[tag] = type == 3 ? Bytes.u16(b, value, little) : Bytes.u32(b, value, little);
                if (tag == BITS_PER_SAMPLE) {
                    for (long k = 0; k < Math.min(n, 16); k++) {
                        int bits = type == 3 ? Bytes.u16(b, value + 2 * (int) k, little)
                                : (int) Math.min(Integer.MAX_VALUE, Bytes.u32(b, value + 4 * (int) k, little));
                        maxBits = Math.max(maxBits, bits);
                    }
                }
            }
        }
        return geometry(first, count, maxBits);
    }

    private static SourceHeader geometry(long[] first, long[] count, int maxBits) throws ImageRejectedException {
        long width = first[WIDTH];
        long height = first[LENGTH];
        if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw corrupt("it declares " + width + "x" + height + " pixels");
        }
        long compression = count[COMPRESSION] > 0 ? first[COMPRESSION] : 1;
        if (compression == 6 || compression == 7) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "the TIFF is JPEG-compressed (compression "
                    + compression + "), which is not supported: convert it to a plain JPEG, or to an uncompressed,"
                    + " LZW or Deflate TIFF");
        }
        long samples = count[SAMPLES_PER_PIXEL] > 0 ? first[SAMPLES_PER_PIXEL] : 1;
        long bits = count[BITS_PER_SAMPLE] > 0 ? maxBits : 1;
        if (samples < 1 || bits < 1 || samples * bits > MAX_BITS_PER_PIXEL) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "the TIFF has " + samples + " samples of "
                    + bits + " bits per pixel; at most " + MAX_BITS_PER_PIXEL + " bits per pixel are supported");
        }
        boolean planar = count[PLANAR_CONFIGURATION] > 0 && first[PLANAR_CONFIGURATION] == 2;
        long planes = planar ? samples : 1;
        long bitsPerUnit = planar ? bits : samples * bits; // per pixel of one strip or tile
        long unitW;
        long unitH;
        long across;
        long down;
        int offsetsTag;
        int countsTag;
        if (count[TILE_WIDTH] > 0 || count[TILE_LENGTH] > 0) {
            unitW = first[TILE_WIDTH];
            unitH = first[TILE_LENGTH];
            if (unitW <= 0 || unitH <= 0) {
                throw corrupt("it declares tiles of " + unitW + "x" + unitH + " pixels");
            }
            across = (width + unitW - 1) / unitW;
            down = (height + unitH - 1) / unitH;
            offsetsTag = TILE_OFFSETS;
            countsTag = TILE_BYTE_COUNTS;
        } else {
            long rows = count[ROWS_PER_STRIP] > 0 ? first[ROWS_PER_STRIP] : height;
            if (rows <= 0) {
                throw corrupt("it declares strips of " + rows + " rows");
            }
            unitW = width;
            unitH = Math.min(rows, height);
            across = 1;
            down = (height + unitH - 1) / unitH;
            offsetsTag = STRIP_OFFSETS;
            countsTag = STRIP_BYTE_COUNTS;
        }
        long units = times(times(across, down), planes);
        if (count[offsetsTag] < units || count[countsTag] < units) {
            throw corrupt("its geometry needs " + units + (offsetsTag == TILE_OFFSETS ? " tiles" : " strips")
                    + " but it has " + count[offsetsTag] + " offsets and " + count[countsTag] + " byte counts");
        }
        // Tiles are whole, padding included (TIFF 6.0, section 15); the last strip holds only the rows left.
        long coded = offsetsTag == TILE_OFFSETS ? times(across * unitW, down * unitH) : 0; // factors < 2^33
        long unitBytes = times((unitW * bitsPerUnit + 7) / 8, unitH); // unitW * bitsPerUnit < 2^39
        if (unitBytes > MAX_UNIT_BYTES) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the TIFF's " + (offsetsTag == TILE_OFFSETS ? "tiles"
                    : "strips") + " are " + unitW + "x" + unitH + " pixels, " + unitBytes + " bytes each; at most "
                    + MAX_UNIT_BYTES + " bytes (64 MiB) are decoded at once");
        }
        return new SourceHeader(SourceHeader.Format.TIFF, (int) width, (int) height, 1, 1, null, 0, 0,
                coded > width * height ? coded : 0, unitBytes);
    }

    /** @return {@code a * b} for non-negative factors, {@link Long#MAX_VALUE} when that overflows */
    private static long times(long a, long b) {
        return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    /** Bytes per value of a TIFF field type (TIFF 6.0 section 2, BigTIFF's 8-byte types); 1 when unknown. */
    private static int typeSize(int type) {
        return switch (type) {
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 1;
        };
    }

    private static ImageRejectedException corrupt(String what) {
        return new ImageRejectedException(Reason.CORRUPT, "the TIFF header is malformed: " + what);
    }
}
