package io.github.knthumbnails.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/**
 * Decodes the first frame of a source at a reduced size: a few times larger than the largest rendition, so the
 * final resampling still has detail to work with, and never much bigger, so memory follows the renditions, not
 * the source.
 *
 * <p>JPEGs go through libjpeg-turbo's DCT-domain scaling when the {@link TurboJpeg} binding is available (a box
 * filter, at M/8 of the size); otherwise, and for every other format, through ImageIO with source subsampling
 * (point sampling, so the caller asks for a larger target). Output is sRGB (CMYK converted), grey, or premultiplied
 * RGBA when the source has transparency and the caller keeps it.
 */
class Decoder {

    static {
        // Without this, ImageIO caches streams in temporary files under java.io.tmpdir.
        ImageIO.setUseCache(false);
    }

    /**
     * Decoded size over final size, at least, for box-filtered (DCT) reduction. Measured on the benchmark photos:
     * 1.5 gives the same PSNR as Pillow's 2 (30.36 dB) and decodes 640x480 photos at 1/4 instead of 1/2.
     */
    static final double NATIVE_GAP = 1.5;
    /** Decoded size over final size, at least, for point-sampled (ImageIO) reduction, which aliases more. */
    static final double FALLBACK_GAP = 4.0;

    private final TurboJpeg turbo;

    /** @param turbo the native binding, or {@code null} to decode JPEGs with ImageIO */
    Decoder(TurboJpeg turbo) {
        this.turbo = turbo;
    }

    /**
     * A decoded first frame and how its pixels map onto the source's: a source coordinate {@code X} (in stored
     * pixels, before EXIF orientation) is at {@code X * scaleX + offset} in {@code pixels}, likewise for Y.
     *
     * @param pixels   the reduced raster
     * @param scaleX   decoded width per source pixel
     * @param scaleY   decoded height per source pixel
     * @param offset   0 for box-filtered reduction; {@code 0.5 - 0.5 * scale} for point sampling
     * @param profile  an embedded non-sRGB RGB profile still to convert from, or {@code null}
     */
    record Decoded(Pixels pixels, double scaleX, double scaleY, double offset, ICC_ColorSpace profile) {
    }

    /**
     * @param source    the whole source
     * @param header    its admitted header
     * @param need       the final size as a fraction of the source (the largest over all renditions)
     * @param keepAlpha  whether to return premultiplied RGBA for sources with transparency (else flattened)
     * @param background 0xRRGGBB to flatten onto
     * @param deadline   the render's deadline, checked while ImageIO readers pull bytes ({@link SourceStream})
     * @return the decoded frame
     * @throws ImageRejectedException {@code corrupt} for broken or truncated data, {@code unsupported_format} when
     *                                no decoder reads it, {@code deadline_exceeded} when the deadline passes
     *                                mid-decode
     */
    Decoded decode(byte[] source, SourceHeader header, double need, boolean keepAlpha, int background,
                   Deadline deadline) throws ImageRejectedException {
        if (header.format() == SourceHeader.Format.JPEG && turbo != null) {
            return turbo(source, header, Math.min(1.0, need * NATIVE_GAP));
        }
        return imageIo(source, header, Math.min(1.0, need * FALLBACK_GAP), keepAlpha, background, deadline);
    }

    private Decoded turbo(byte[] source, SourceHeader header, double target) throws ImageRejectedException {
        SourceHeader.Jpeg jpeg = header.jpeg();
        // Only 1/8, 1/4, 1/2 and 1/1: libjpeg-turbo's other M/8 scalings take longer than the next power of two
        // (measured: 3/8 as long as 4/8, 5/8 to 7/8 up to 1.8x as long as 8/8).
        int num = Integer.highestOneBit(Math.max(1, Math.min(8, (int) Math.ceil(target * 8 - 1e-9))) * 2 - 1);
        int[] scaled = {(header.width() * num + 7) / 8, (header.height() * num + 7) / 8};
        int format = jpeg.components() == 1 ? TurboJpeg.PF_GRAY
                : jpeg.components() == 4 ? TurboJpeg.PF_CMYK : TurboJpeg.PF_RGB;
        int channels = jpeg.components() == 1 ? 1 : jpeg.components() == 4 ? 4 : 3;
        byte[] data;
        try {
            data = turbo.decode(source, scaled, format, channels);
        } catch (TurboJpeg.DecodeException e) {
            throw rejected(e.getMessage(), e);
        }
        Pixels pixels = channels == 4
                ? Colors.cmykToRgb(data, scaled[0], scaled[1], jpeg.adobe(),
                        Colors.profile(jpeg.iccProfile(), ColorSpace.TYPE_CMYK))
                : new Pixels(scaled[0], scaled[1], channels, data);
        double scale = num / 8.0;
        return new Decoded(pixels, scale, scale, 0, channels == 3 ? Colors.nonSrgb(jpeg.iccProfile()) : null);
    }

    /**
     * @param message a decoder's error or warning message, may be {@code null}
     * @return whether it says the data ends early: libjpeg's "Premature end of JPEG file" (JWRN_JPEG_EOF), which
     *         libjpeg-turbo and the JDK's JPEG reader report as a warning and then grey-fill the rest
     */
    static boolean saysTruncated(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains("premature end");
    }

    private static ImageRejectedException rejected(String message, Exception cause) {
        String m = String.valueOf(message);
        if (saysTruncated(m)) {
            return new ImageRejectedException(Reason.CORRUPT, "the JPEG is truncated (" + m + ")", cause);
        }
        return new ImageRejectedException(Reason.CORRUPT, "the JPEG data is corrupt (" + m + ")", cause);
    }

    private Decoded imageIo(byte[] source, SourceHeader header, double target, boolean keepAlpha, int background,
                            Deadline deadline) throws ImageRejectedException {
        int step = Math.max(1, (int) Math.floor(1 / target + 1e-9));
        try (ImageInputStream in = new SourceStream(source, deadline)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "no decoder reads this "
                        + header.format() + " image");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
                ImageReadParam param = reader.getDefaultReadParam();
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                Pixels pixels;
                SourceHeader.Jpeg jpeg = header.jpeg();
                if (jpeg != null && jpeg.components() == 4) {
                    Raster raster = reader.readRaster(0, param); // raw samples: YCCK stays YCCK
                    byte[] cmyk = bytes(raster, 4);
                    if (jpeg.adobeTransform() == 2) {
                        Colors.ycckToCmyk(cmyk);
                    }
                    pixels = Colors.cmykToRgb(cmyk, raster.getWidth(), raster.getHeight(), jpeg.adobe(),
                            Colors.profile(jpeg.iccProfile(), ColorSpace.TYPE_CMYK));
                } else {
                    // The JDK's JPEG reader applies an embedded ICC profile itself (getRGB then yields sRGB).
                    pixels = pixels(onCanvas(reader.read(0, param), header, step), keepAlpha, background);
                }
                for (String warning : warnings) {
                    if (saysTruncated(warning)) {
                        throw new ImageRejectedException(Reason.CORRUPT, "the " + header.format() + " is truncated ("
                                + warning + ")");
                    }
                }
                double scale = 1.0 / step;
                // The JDK's PNG reader ignores an embedded iCCP profile: convert after resampling, as for JPEGs.
                ICC_ColorSpace profile = header.format() == SourceHeader.Format.PNG && pixels.channels() > 1
                        ? Colors.nonSrgb(PngHeader.iccProfile(source)) : null;
                return new Decoded(pixels, scale, scale, 0.5 - 0.5 * scale, profile);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            deadline.checkIfCause(e);
            String m = String.valueOf(e.getMessage());
            boolean unsupported = m.toLowerCase(Locale.ROOT).contains("not supported")
                    || m.toLowerCase(Locale.ROOT).contains("unsupported");
            throw new ImageRejectedException(unsupported ? Reason.UNSUPPORTED_FORMAT : Reason.CORRUPT,
                    "the " + header.format() + " image " + (unsupported ? "uses a feature that is not supported"
                            : "is corrupt or truncated") + " (" + m + ")", e);
        }
    }

    /**
     * Places a first frame that is smaller than the canvas (animated GIF/WebP readers return the frame alone) at
     * its offset on a transparent canvas of the size the header declares, so geometry matches the header.
     */
    private static BufferedImage onCanvas(BufferedImage frame, SourceHeader header, int step) {
        int w = (header.width() + step - 1) / step;
        int h = (header.height() + step - 1) / step;
        if (frame.getWidth() == w && frame.getHeight() == h) {
            return frame;
        }
        BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = canvas.createGraphics();
        try {
            g.drawImage(frame, header.frameX() / step, header.frameY() / step, null);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** Reads the samples of a byte raster with {@code bands} bands into an interleaved array. */
    private static byte[] bytes(Raster raster, int bands) {
        if (raster.getDataBuffer() instanceof DataBufferByte buffer && raster.getNumBands() == bands
                && buffer.getData().length == raster.getWidth() * raster.getHeight() * bands
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
            return buffer.getData();
        }
        int[] samples = raster.getPixels(0, 0, raster.getWidth(), raster.getHeight(), (int[]) null);
        byte[] out = new byte[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = (byte) samples[i];
        }
        return out;
    }

    /**
     * Converts a decoded image to grey, RGB, or premultiplied RGBA bytes. Grey images are read from the raster:
     * the JDK's grey colour space is linear, so {@code getRGB} would brighten them.
     *
     * @throws ImageRejectedException {@code too_large} when the bytes would not fit in a Java array
     */
    static Pixels pixels(BufferedImage image, boolean keepAlpha, int background) throws ImageRejectedException {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = bytes(raster, 3);
            byte[] rgb = new byte[bgr.length];
            for (int i = 0; i < bgr.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
            return new Pixels(w, h, 3, rgb);
        }
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            int bits = cm.getComponentSize(0);
            int bands = raster.getNumBands();
            int[] row = new int[w * bands];
            byte[] grey = new byte[w * h];
            int[] rgba = cm.hasAlpha() ? new int[w * h] : null;
            boolean transparent = false;
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int g = to8(row[x * bands], bits);
                    grey[y * w + x] = (byte) g;
                    if (rgba != null) {
                        int a = to8(row[x * bands + bands - 1], cm.getComponentSize(bands - 1));
                        transparent |= a < 255;
                        rgba[y * w + x] = a << 24 | g << 16 | g << 8 | g;
                    }
                }
            }
            return transparent ? argb(rgba, w, h, keepAlpha, background) : new Pixels(w, h, 1, grey);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        return argb(argb, w, h, keepAlpha && cm.hasAlpha(), background);
    }

    private static int to8(int sample, int bits) {
        return bits == 8 ? sample : (int) Math.round(sample * 255.0 / ((1 << bits) - 1));
    }

    /** Packs ARGB ints as RGB, or premultiplied RGBA when asked and some pixel is not opaque. */
    private static Pixels argb(int[] argb, int w, int h, boolean keepAlpha, int background)
            throws ImageRejectedException {
        boolean transparent = false;
        for (int p : argb) {
            if (p >>> 24 != 255) {
                transparent = true;
                break;
            }
        }
        int channels = transparent && keepAlpha ? 4 : 3;
        byte[] out = new byte[Pixels.bytes(w, h, channels)];
        int[] bg = {background >> 16 & 0xff, background >> 8 & 0xff, background & 0xff};
        for (int i = 0, o = 0; i < argb.length; i++) {
            int p = argb[i];
            int a = p >>> 24;
            for (int c = 0; c < 3; c++) {
                int v = p >> (16 - 8 * c) & 0xff;
                int premultiplied = (v * a + 127) / 255;
                out[o++] = (byte) (channels == 4 ? premultiplied : premultiplied + (bg[c] * (255 - a) + 127) / 255);
            }
            if (channels == 4) {
                out[o++] = (byte) a;
            }
        }
        return new Pixels(w, h, channels, out);
    }
}
