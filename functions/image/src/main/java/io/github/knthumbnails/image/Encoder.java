package io.github.knthumbnails.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes renditions with no source metadata: a baseline JFIF JPEG (4:2:0 for colour, a one-component JPEG for
 * grey; with libjpeg-turbo when it is loaded, else the JDK's writer) or a PNG with an alpha channel (the JDK's
 * writer). None of them adds timestamps, so identical pixels give identical bytes.
 */
final class Encoder {

    private final TurboJpeg turbo;

    /** @param turbo libjpeg-turbo, or {@code null} for the JDK's JPEG writer */
    Encoder(TurboJpeg turbo) {
        this.turbo = turbo;
    }

    /**
     * @param pixels  grey or RGB
     * @param quality 1-100 (IJG scale)
     * @return the JPEG file
     */
    byte[] jpeg(Pixels pixels, int quality) {
        if (turbo != null) {
            return turbo.encode(pixels, quality);
        }
        BufferedImage image;
        if (pixels.channels() == 1) {
            image = new BufferedImage(pixels.width(), pixels.height(), BufferedImage.TYPE_BYTE_GRAY);
            System.arraycopy(pixels.data(), 0, data(image), 0, pixels.data().length);
        } else {
            image = new BufferedImage(pixels.width(), pixels.height(), BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = data(image);
            byte[] rgb = pixels.data();
            for (int i = 0; i < rgb.length; i += 3) {
                bgr[i] = rgb[i + 2];
                bgr[i + 1] = rgb[i + 1];
                bgr[i + 2] = rgb[i];
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        return write(writer, image, param);
    }

    /**
     * @param rgba premultiplied RGBA
     * @return the PNG file (8-bit RGBA, straight alpha)
     */
    byte[] png(Pixels rgba) {
        BufferedImage image = new BufferedImage(rgba.width(), rgba.height(), BufferedImage.TYPE_4BYTE_ABGR);
        byte[] abgr = data(image);
        byte[] in = rgba.data();
        for (int i = 0; i < in.length; i += 4) {
            int a = in[i + 3] & 0xff;
            abgr[i] = (byte) a;
            for (int c = 0; c < 3; c++) {
                int v = a == 0 ? 0 : Math.min(255, ((in[i + c] & 0xff) * 255 + a / 2) / a);
                abgr[i + 3 - c] = (byte) v;
            }
        }
        return write(ImageIO.getImageWritersByFormatName("png").next(), image, null);
    }

    private static byte[] data(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    private static byte[] write(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("encoding into memory cannot fail", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
