package io.github.knthumbnails.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
