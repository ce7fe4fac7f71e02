package io.github.knthumbnails.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Images the tests generate themselves, so the engine is tested even without ../shared. */
final class TestImages {

    private TestImages() {
    }

    /** A width×height image with a gradient and a diagonal, encoded in the given ImageIO format. */
    static byte[] encoded(int width, int height, int type, String format) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        for (int x = 0; x < width; x++) {
            g.setColor(new Color(x * 255 / Math.max(1, width - 1), 80, 160));
            g.drawLine(x, 0, x, height);
        }
        g.setColor(Color.YELLOW);
        g.drawLine(0, 0, width, height);
        g.dispose();
        return write(image, format);
    }

    /** An image of four flat quadrants: top-left red, top-right green, bottom-left blue, bottom-right yellow. */
    static BufferedImage quadrants(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};
        for (int i = 0; i < 4; i++) {
            g.setColor(colours[i]);
            g.fillRect(i % 2 * width / 2, i / 2 * height / 2, width / 2, height / 2);
        }
        g.dispose();
        return image;
    }

    /** A filled image of one colour. */
    static BufferedImage flat(int width, int height, int type, Color colour) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** An animated GIF of the given frames, in order. */
    static byte[] gif(BufferedImage... frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                writer.writeToSequence(new IIOImage(frame, null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * A GIF89a whose logical screen (canvas) is {@code canvasW} x {@code canvasH} and whose one image descriptor
     * places a frame of {@code frameW} x {@code frameH} at ({@code frameX}, {@code frameY}); no colour table, an
     * LZW stream of just a clear and an end code.
     */
    static byte[] gifFrame(int canvasW, int canvasH, int frameX, int frameY, int frameW, int frameH) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GIF89a".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le(canvasW, 2));
        out.writeBytes(le(canvasH, 2));
        out.writeBytes(new byte[] {0, 0, 0, 0x2C});
        for (int v : new int[] {frameX, frameY, frameW, frameH}) {
            out.writeBytes(le(v, 2));
        }
        out.writeBytes(new byte[] {0, 2, 2, 0x4C, 0x01, 0, 0x3B});
        return out.toByteArray();
    }

    /** A RIFF WebP container of the given chunks ({@link #chunk}). */
    static byte[] webp(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] chunk : chunks) {
            body.writeBytes(chunk);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le(body.size(), 4));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** A RIFF chunk: four-character code, little-endian size, payload, padding to an even size. */
    static byte[] chunk(String fourcc, byte[]... payload) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] p : payload) {
            data.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(fourcc.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le(data.size(), 4));
        out.writeBytes(data.toByteArray());
        if (data.size() % 2 == 1) {
            out.write(0);
        }
        return out.toByteArray();
    }

    /** A WebP {@code VP8X} chunk declaring a canvas of {@code width} x {@code height}, animated or not. */
    static byte[] vp8x(int width, int height, boolean animated) {
        return chunk("VP8X", new byte[] {(byte) (animated ? 0x02 : 0), 0, 0, 0}, le(width - 1, 3), le(height - 1, 3));
    }

    /** A WebP {@code ANMF} chunk: a frame of {@code width} x {@code height} at (0, 0) holding {@code frame}. */
    static byte[] anmf(int width, int height, byte[] frame) {
        return chunk("ANMF", le(0, 3), le(0, 3), le(width - 1, 3), le(height - 1, 3), le(100, 3), new byte[] {0},
                frame);
    }

    /** A lossless WebP {@code VP8L} chunk whose header declares {@code width} x {@code height}, with no image data. */
    static byte[] vp8l(int width, int height) {
        return chunk("VP8L", new byte[] {0x2F}, le((width - 1) | (height - 1) << 14, 4), new byte[4]);
    }

    /**
     * An ICC profile of the given colour space ({@code "RGB "} or {@code "CMYK"}) with a valid header and no tags:
     * LittleCMS parses it but cannot link it to anything ("Couldn't link the profiles").
     */
    static byte[] tagless(String colourSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 0, (byte) 132, 0, 0, 0, 0, 4, 0x20, 0, 0});
        out.writeBytes(("mntr" + colourSpace + "XYZ ").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[12]);
        out.writeBytes("acsp".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[28]);
        out.writeBytes(new byte[] {0, 0, (byte) 0xF6, (byte) 0xD6, 0, 1, 0, 0, 0, 0, (byte) 0xD3, 0x2D}); // D50
        out.writeBytes(new byte[132 - 80]); // rest of the header, then a tag count of 0
        return out.toByteArray();
    }

    /** {@code bytes} bytes of {@code value}, least significant first. */
    static byte[] le(int value, int bytes) {
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    /** Inserts a marker segment right after a JPEG's SOI marker. */
    static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xff);
        out.write(payload, 0, payload.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** Inserts an {@code iCCP} chunk holding {@code profile} right after a PNG's IHDR chunk (PNG spec 11.3.3.3). */
    static byte[] withIccp(byte[] png, byte[] profile) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(profile);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("iCCPtest profile\0\0".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(compressed.toByteArray());
        byte[] chunk = body.toByteArray(); // type + data, which the CRC covers
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk);
        int afterIhdr = 8 + 8 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        int length = chunk.length - 4;
        out.writeBytes(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        out.writeBytes(chunk);
        long c = crc.getValue();
        out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    /** An Exif APP1 payload (big-endian TIFF) whose IFD0 holds the orientation tag and a camera make. */
    static byte[] exif(int orientation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Exif\0\0MM\0*".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[] {0, 0, 0, 8, 0, 2});
        out.writeBytes(new byte[] {0x01, 0x0F, 0, 2, 0, 0, 0, 4, 'A', 'C', 'M', 0}); // Make = "ACM"
        out.writeBytes(new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0});
        out.writeBytes(new byte[] {0, 0, 0, 0});
        return out.toByteArray();
    }

    /** An APP2 payload carrying a whole ICC profile in one chunk (ICC.1, annex B.4). */
    static byte[] iccChunk(byte[] profile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(1);
        out.write(1);
        out.writeBytes(profile);
        return out.toByteArray();
    }

    /**
     * A plain 4-component CMYK JPEG (the JDK's writer adds no Adobe segment): no ink in the top half, full cyan in
     * the bottom half. With {@code adobeInverted}, the samples are stored inverted behind an Adobe APP14 segment
     * (transform 0), as Photoshop writes them; both encode the same picture.
     */
    static byte[] cmykJpeg(int width, int height, boolean adobeInverted) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int band = 0; band < 4; band++) {
                    int ink = band == 0 && y >= height / 2 ? 255 : 0;
                    raster.setSample(x, y, band, adobeInverted ? 255 - ink : ink);
                }
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            writer.dispose();
        }
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return adobeInverted ? withSegment(out.toByteArray(), 0xEE, adobe) : out.toByteArray();
    }

    /**
     * A minimal ICC v2 output profile (CMYK to Lab, one lut8 A2B0 tag with a 2-point grid) that renders no ink as
     * white and any ink as red: a picture converted through it is unmistakably not the naive conversion.
     */
    static byte[] inkIsRedCmykProfile() {
        ByteArrayOutputStream lut = new ByteArrayOutputStream();
        DataOutputStream l = new DataOutputStream(lut);
        ByteArrayOutputStream whitePoint = new ByteArrayOutputStream();
        ByteArrayOutputStream description = new ByteArrayOutputStream();
        ByteArrayOutputStream profile = new ByteArrayOutputStream();
        try {
            l.writeBytes("mft1");
            l.writeInt(0);
            l.write(new byte[] {4, 3, 2, 0}); // 4 inputs, 3 outputs, 2 grid points per input
            for (int i = 0; i < 9; i++) {
                l.writeInt(i % 4 == 0 ? 0x10000 : 0); // identity matrix
            }
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < 256; i++) {
                    l.writeByte(i);
                }
            }
            for (int g = 0; g < 16; g++) { // Lab: white at the no-ink corner, red (L 54, a 80, b 67) elsewhere
                l.write(g == 0 ? new byte[] {(byte) 255, (byte) 128, (byte) 128} : new byte[] {(byte) 138, (byte) 208,
                        (byte) 195});
            }
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 256; i++) {
                    l.writeByte(i);
                }
            }
            DataOutputStream w = new DataOutputStream(whitePoint);
            w.writeBytes("XYZ ");
            w.writeInt(0);
            w.writeInt(63190); // D50: 0.9642, 1.0, 0.8249 as s15Fixed16
            w.writeInt(65536);
            w.writeInt(54061);
            DataOutputStream d = new DataOutputStream(description);
            d.writeBytes("desc");
            d.writeInt(0);
            d.writeInt(5);
            d.writeBytes("test\0");
            d.write(new byte[79]); // empty Unicode and ScriptCode parts
            byte[][] tags = {description.toByteArray(), whitePoint.toByteArray(), lut.toByteArray()};
            String[] names = {"desc", "wtpt", "A2B0"};
            int[] offsets = new int[tags.length];
            int end = 128 + 4 + 12 * tags.length;
            for (int i = 0; i < tags.length; i++) {
                offsets[i] = end;
                end += (tags[i].length + 3) / 4 * 4;
            }
            DataOutputStream o = new DataOutputStream(profile);
            o.writeInt(end);
            o.writeInt(0);
            o.writeInt(0x02100000);
            o.writeBytes("prtrCMYKLab ");
            o.write(new byte[12]);
            o.writeBytes("acsp");
            o.write(new byte[24]);
            o.writeInt(0);
            o.writeInt(63190);
            o.writeInt(65536);
            o.writeInt(54061);
            o.write(new byte[48]);
            o.writeInt(tags.length);
            for (int i = 0; i < tags.length; i++) {
                o.writeBytes(names[i]);
                o.writeInt(offsets[i]);
                o.writeInt(tags[i].length);
            }
            for (byte[] tag : tags) {
                o.write(tag);
                o.write(new byte[(4 - tag.length % 4) % 4]);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return profile.toByteArray();
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the 8-bit red, green, blue at (x, y), read from the raster for grey images (no gamma change) */
    static int[] rgb(BufferedImage image, int x, int y) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int g = image.getRaster().getSample(x, y, 0);
            return new int[] {g, g, g};
        }
        int p = image.getRGB(x, y);
        return new int[] {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
    }

    /** Mean absolute difference per channel over the common area of two images, 0-255. */
    static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] p = rgb(a, x, y);
                int[] q = rgb(b, x, y);
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs(p[c] - q[c]);
                }
            }
        }
        return sum / (3.0 * w * h);
    }
}
