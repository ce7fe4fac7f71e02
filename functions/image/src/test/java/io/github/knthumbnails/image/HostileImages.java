package io.github.knthumbnails.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Hostile files of the kinds issue 8 (findings 2 and 3) describes, made by the tests themselves. */
final class HostileImages {

    private HostileImages() {
    }

    /**
     * A BMP whose header declares {@code width} x {@code height} with {@code compression} {@code BI_JPEG} (4) or
     * {@code BI_PNG} (5), followed by {@code stream}, which the JDK's BMP reader decodes at its own size.
     */
    static byte[] bmpEmbedding(int width, int height, int compression, byte[] stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'B', 'M'});
        out.writeBytes(TestImages.le(54 + stream.length, 4));
        out.writeBytes(TestImages.le(0, 4));
        out.writeBytes(TestImages.le(54, 4)); // pixel data offset
        out.writeBytes(TestImages.le(40, 4)); // BITMAPINFOHEADER
        out.writeBytes(TestImages.le(width, 4));
        out.writeBytes(TestImages.le(height, 4));
        out.writeBytes(TestImages.le(1, 2)); // planes
        out.writeBytes(TestImages.le(0, 2)); // bits per pixel: 0 for BI_JPEG/BI_PNG
        out.writeBytes(TestImages.le(compression, 4));
        out.writeBytes(TestImages.le(stream.length, 4));
        out.writeBytes(new byte[16]); // resolution, colours used, important colours
        out.writeBytes(stream);
        return out.toByteArray();
    }

    /**
     * A JPEG whose frame header (SOF) claims {@code width} x {@code height}: a real small JPEG with its SOF patched,
     * so its data runs out long before such a frame would be decoded (enough for an allocation).
     */
    static byte[] jpegClaiming(int width, int height) {
        byte[] jpeg = TestImages.encoded(16, 16, BufferedImage.TYPE_INT_RGB, "jpeg");
        int sof = sof(jpeg);
        jpeg[sof + 5] = (byte) (height >> 8);
        jpeg[sof + 6] = (byte) height;
        jpeg[sof + 7] = (byte) (width >> 8);
        jpeg[sof + 8] = (byte) width;
        return jpeg;
    }

    /** @return the offset of the first SOFn marker (0xFFCn, not DHT/JPG/DAC) */
    static int sof(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            int m = jpeg[i + 1] & 0xff;
            if ((jpeg[i] & 0xff) == 0xFF && m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
                return i;
            }
        }
        throw new IllegalArgumentException("no SOF");
    }

    /** A progressive JPEG (the JDK writer's default script: about 10 scans) of a gradient, RGB, 4:2:0. */
    static byte[] progressiveJpeg(int width, int height) {
        BufferedImage image = TestImages.decode(TestImages.encoded(width, height, BufferedImage.TYPE_INT_RGB, "png"));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * {@code jpeg} with everything between its frame header and EOI (tables and scans) repeated {@code times}: a
     * valid progressive JPEG of about {@code times} x 10 scans, each a pass over the image, which libjpeg decodes
     * with "bogus progression" warnings only (the CPU bomb of finding 3).
     */
    static byte[] withScansRepeated(byte[] jpeg, int times) {
        int sof = sof(jpeg);
        int start = sof + 2 + ((jpeg[sof + 2] & 0xff) << 8 | (jpeg[sof + 3] & 0xff));
        int end = jpeg.length - 2; // EOI
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, start);
        for (int i = 0; i < times; i++) {
            out.write(jpeg, start, end - start);
        }
        out.write(jpeg, end, 2);
        return out.toByteArray();
    }

    /** {@code jpeg} with every component's sampling factors set to 1x1 in the SOF (4:4:4 as far as a header says). */
    static byte[] sampledAs444(byte[] jpeg) {
        byte[] b = jpeg.clone();
        int sof = sof(b);
        for (int c = 0; c < (b[sof + 9] & 0xff); c++) {
            b[sof + 11 + 3 * c] = 0x11;
        }
        return b;
    }

    /**
     * A little-endian TIFF of one IFD at offset 8 holding {@code tags} (tag to LONG values), then {@code data}; a
     * value of {@code -1} in a tag's array stands for "the offset of {@code data}". Single values under 65536 are
     * written as SHORT (the JDK's reader ignores a LONG Compression), strip/tile offsets and counts as LONG.
     */
    static byte[] tiff(Map<Integer, long[]> tags, byte[] data) {
        TreeMap<Integer, long[]> sorted = new TreeMap<>(tags);
        int ifdEnd = 8 + 2 + 12 * sorted.size() + 4;
        int extra = 0;
        for (long[] values : sorted.values()) {
            extra += values.length > 1 ? 4 * values.length : 0;
        }
        int dataOffset = ifdEnd + extra;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream arrays = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'I', 'I', 42, 0});
        out.writeBytes(TestImages.le(8, 4));
        out.writeBytes(TestImages.le(sorted.size(), 2));
        for (Map.Entry<Integer, long[]> e : sorted.entrySet()) {
            long[] values = e.getValue();
            boolean offsets = e.getKey() == 273 || e.getKey() == 279 || e.getKey() == 324 || e.getKey() == 325;
            out.writeBytes(TestImages.le(e.getKey(), 2));
            out.writeBytes(TestImages.le(values.length == 1 && !offsets && values[0] < 65536 ? 3 : 4, 2)); // SHORT/LONG
            out.writeBytes(TestImages.le(values.length, 4));
            if (values.length == 1) {
                out.writeBytes(TestImages.le((int) (values[0] == -1 ? dataOffset : values[0]), 4));
            } else {
                out.writeBytes(TestImages.le(ifdEnd + arrays.size(), 4));
                for (long v : values) {
                    arrays.writeBytes(TestImages.le((int) (v == -1 ? dataOffset : v), 4));
                }
            }
        }
        out.writeBytes(TestImages.le(0, 4)); // no next IFD
        out.writeBytes(arrays.toByteArray());
        out.writeBytes(data);
        return out.toByteArray();
    }

    /**
     * A grey 8-bit TIFF declaring {@code width} x {@code height} and one {@code tile} x {@code tile} tile, PackBits
     * compressed (compression 32773): a few bytes that expand to a whole tile of zeros (the 146-byte TIFF of
     * finding 2 allocated 64 MB this way).
     */
    static byte[] tiffWithOneTile(int width, int height, int tile) {
        ByteArrayOutputStream runs = new ByteArrayOutputStream();
        for (long left = (long) tile * tile; left > 0; left -= 128) {
            runs.write(-127); // PackBits: repeat the next byte 128 times
            runs.write(0);
        }
        byte[] data = runs.toByteArray();
        return tiff(Map.of(256, new long[] {width}, 257, new long[] {height}, 258, new long[] {8},
                259, new long[] {32773}, 262, new long[] {1}, 277, new long[] {1}, 322, new long[] {tile},
                323, new long[] {tile}, 324, new long[] {-1}, 325, new long[] {data.length}), data);
    }

    /** An RGB TIFF declaring {@code width} x {@code height} in one JPEG-compressed (compression 7) strip. */
    static byte[] jpegTiff(int width, int height, byte[] jpeg) {
        return tiff(Map.of(256, new long[] {width}, 257, new long[] {height}, 258, new long[] {8, 8, 8},
                259, new long[] {7}, 262, new long[] {2}, 277, new long[] {3}, 278, new long[] {height},
                273, new long[] {-1}, 279, new long[] {jpeg.length}), jpeg);
    }
}
