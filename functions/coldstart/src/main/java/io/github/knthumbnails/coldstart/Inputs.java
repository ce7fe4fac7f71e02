package io.github.knthumbnails.coldstart;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import io.github.knthumbnails.testsupport.SharedTestData;

/**
 * The images the workloads upload. Generated ones are deterministic (fixed seeds): the same bytes every build, so
 * the AOT cache is trained on the same work each time. A real photo comes from the shared corpus when it is there
 * ({@link SharedTestData}), else a generated photo-like JPEG stands in.
 */
public final class Inputs {

    private Inputs() {
    }

    /** @return a real photo of the shared corpus ({@code testdata/photos/sharp__Landscape_9.jpg}), else {@link #jpeg} */
    public static byte[] photo() {
        return shared("testdata/photos/sharp__Landscape_9.jpg").orElseGet(() -> jpeg(1600, 1200, 1, false));
    }

    /**
     * @param relative a path in the shared corpus, e.g. {@code testdata/edge/lossy.webp}
     * @return its bytes, empty when the corpus or the file is absent
     */
    public static Optional<byte[]> shared(String relative) {
        Path file = SharedTestData.root().resolve(relative);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A photo-like picture: gradient sky, noisy ground, blobs of colour.
     *
     * @param width       pixels
     * @param height      pixels
     * @param seed        random seed
     * @param progressive progressive JPEG instead of baseline
     * @return JPEG bytes (quality 0.85)
     */
    public static byte[] jpeg(int width, int height, long seed, boolean progressive) {
        BufferedImage image = picture(width, height, seed, BufferedImage.TYPE_INT_RGB);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.85f);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * @param width  pixels
     * @param height pixels
     * @param seed   random seed
     * @return a PNG with an alpha channel (a transparent border around the picture)
     */
    public static byte[] pngWithAlpha(int width, int height, long seed) {
        BufferedImage image = picture(width, height, seed, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setComposite(AlphaComposite.Clear);
        g.fillRect(0, 0, width, height / 8);
        g.dispose();
        return write(image, "png");
    }

    /**
     * @param width  pixels
     * @param height pixels
     * @param seed   random seed
     * @return a GIF (indexed colour)
     */
    public static byte[] gif(int width, int height, long seed) {
        BufferedImage rgb = picture(width, height, seed, BufferedImage.TYPE_INT_RGB);
        BufferedImage indexed = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = indexed.createGraphics();
        g.drawImage(rgb, 0, 0, null);
        g.dispose();
        return write(indexed, "gif");
    }

    /**
     * @param seed random seed
     * @return JPEG's start-of-image marker and then random bytes: a corrupt image the engine must record as
     *     {@code failed}, not a crash (a truncated but well-formed start would still decode in part)
     */
    public static byte[] corruptJpeg(long seed) {
        byte[] bad = new byte[4096];
        new Random(seed).nextBytes(bad);
        bad[0] = (byte) 0xff;
        bad[1] = (byte) 0xd8;
        bad[2] = (byte) 0xff;
        bad[3] = (byte) 0xdb;
        return bad;
    }

    private static BufferedImage picture(int width, int height, long seed, int type) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(90, 140, 220), 0, height / 2f, new Color(200, 220, 240)));
        g.fillRect(0, 0, width, height / 2);
        for (int i = 0; i < 60; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), 160));
            int r = 10 + random.nextInt(Math.max(11, width / 6));
            g.fillOval(random.nextInt(width), height / 3 + random.nextInt(Math.max(1, height * 2 / 3)), r, r);
        }
        g.dispose();
        // Ground texture: per-pixel noise, as a photo's detail makes a JPEG's entropy coding work.
        for (int y = height / 2; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int base = image.getRGB(x, y);
                int n = random.nextInt(48) - 24;
                int rr = clamp(((base >> 16) & 0xff) / 2 + 40 + n);
                int gg = clamp(((base >> 8) & 0xff) / 2 + 70 + n);
                int bb = clamp((base & 0xff) / 3 + 20 + n);
                image.setRGB(x, y, 0xff000000 | (rr << 16) | (gg << 8) | bb);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] write(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
