package io.github.knthumbnails.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

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

    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
