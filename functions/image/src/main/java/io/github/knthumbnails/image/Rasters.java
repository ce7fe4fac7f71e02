package io.github.knthumbnails.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Moves rasters between our {@link Pixels} and the {@link BufferedImage}s Thumbnailator composes with (issue 13),
 * without copying where the layouts agree: {@link #image} wraps a raster's bytes, and {@link #view} reads a
 * wrapped image, or a {@link BufferedImage#getSubimage sub-image} of one, straight from those bytes.
 */
final class Rasters {

    private Rasters() {
    }

    /**
     * A region of a raster, in its pixels.
     *
     * @param pixels the whole raster
     * @param x      left edge of the region
     * @param y      top edge
     * @param width  region width
     * @param height region height
     */
    record View(Pixels pixels, int x, int y, int width, int height) {

        /** @return the region's pixels: the raster itself when the region is all of it, else a copy */
        Pixels copy() {
            if (x == 0 && y == 0 && width == pixels.width() && height == pixels.height()) {
                return pixels;
            }
            int ch = pixels.channels();
            byte[] out = new byte[width * height * ch];
            for (int row = 0; row < height; row++) {
                System.arraycopy(pixels.data(), ((y + row) * pixels.width() + x) * ch, out, row * width * ch,
                        width * ch);
            }
            return new Pixels(width, height, ch, out);
        }
    }

    /**
     * Wraps a raster as an image sharing its bytes: grey, sRGB, or sRGB with premultiplied alpha.
     *
     * @param pixels 1, 3 or 4 channels
     * @return an image of {@link BufferedImage#TYPE_CUSTOM} whose raster is {@code pixels.data()}
     */
    static BufferedImage image(Pixels pixels) {
        int ch = pixels.channels();
        boolean alpha = ch == 4;
        ColorSpace space = ColorSpace.getInstance(ch == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel model = new ComponentColorModel(space, alpha, alpha,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        int[] bands = new int[ch];
        for (int b = 0; b < ch; b++) {
            bands[b] = b;
        }
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(pixels.data(), pixels.data().length),
                pixels.width(), pixels.height(), pixels.width() * ch, ch, bands, null);
        return new BufferedImage(model, raster, alpha, null);
    }

    /**
     * What an image shows, as a region of one of our rasters: without copying when the image is (a sub-image of)
     * one {@link #image} made, else copied from any byte-interleaved raster (e.g. {@link
     * BufferedImage#TYPE_3BYTE_BGR}, {@link BufferedImage#TYPE_4BYTE_ABGR_PRE}, {@link BufferedImage#TYPE_BYTE_GRAY}).
     *
     * @param image the image
     * @return the region it shows
     * @throws IllegalArgumentException for a layout this engine never makes (packed ints, indexed colour, alpha that
     *                                  is not premultiplied)
     */
    static View view(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        if (!(raster.getSampleModel() instanceof ComponentSampleModel model)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer) || buffer.getNumBanks() != 1
                || (image.getColorModel().hasAlpha() && !image.isAlphaPremultiplied())) {
            throw new IllegalArgumentException("not a byte-interleaved raster with premultiplied alpha: " + image);
        }
        int ch = model.getNumBands();
        int[] bands = model.getBandOffsets();
        int x = -raster.getSampleModelTranslateX();
        int y = -raster.getSampleModelTranslateY();
        byte[] data = buffer.getData();
        if (ours(model, buffer, bands)) {
            return new View(new Pixels(model.getWidth(), model.getHeight(), ch, data), x, y, image.getWidth(),
                    image.getHeight());
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int stride = model.getScanlineStride();
        int step = model.getPixelStride();
        byte[] out = new byte[w * h * ch];
        for (int row = 0; row < h; row++) {
            interleave(data, buffer.getOffset() + (y + row) * stride + x * step, step, bands, out, row * w * ch, ch, w,
                    true);
        }
        return new View(new Pixels(w, h, ch, out), 0, 0, w, h);
    }

    /** Whether the raster is laid out as a {@link Pixels} of its sample model's size: bands in order, no padding. */
    private static boolean ours(ComponentSampleModel model, DataBufferByte buffer, int[] bands) {
        int ch = bands.length;
        for (int b = 0; b < ch; b++) {
            if (bands[b] != b) {
                return false;
            }
        }
        return buffer.getOffset() == 0 && model.getPixelStride() == ch
                && model.getScanlineStride() == model.getWidth() * ch
                && (long) model.getWidth() * model.getHeight() * ch == buffer.getData().length;
    }

    /**
     * @param image an image {@link #image} made, or a sub-image of one
     * @return the whole raster it shares its bytes with, without a copy
     * @throws IllegalArgumentException if the image does not share one of our rasters
     */
    static Pixels backing(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        if (raster.getSampleModel() instanceof ComponentSampleModel model
                && raster.getDataBuffer() instanceof DataBufferByte buffer
                && ours(model, buffer, model.getBandOffsets())) {
            return new Pixels(model.getWidth(), model.getHeight(), model.getNumBands(), buffer.getData());
        }
        throw new IllegalArgumentException("not one of our rasters: " + image);
    }

    /**
     * Copies a raster into a byte-interleaved image of the same size and channels, whatever its band order.
     *
     * @param pixels the source
     * @param image  the target, e.g. the {@link BufferedImage#TYPE_3BYTE_BGR} image Thumbnailator hands its
     *               {@code Resizer}
     * @throws IllegalArgumentException if sizes or channels differ, or the image is not byte-interleaved
     */
    static void copy(Pixels pixels, BufferedImage image) {
        WritableRaster raster = image.getRaster();
        if (!(raster.getSampleModel() instanceof ComponentSampleModel model)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
                || model.getNumBands() != pixels.channels() || image.getWidth() != pixels.width()
                || image.getHeight() != pixels.height()) {
            throw new IllegalArgumentException("cannot copy " + pixels.width() + "x" + pixels.height() + "x"
                    + pixels.channels() + " into " + image);
        }
        int ch = pixels.channels();
        int[] bands = model.getBandOffsets();
        int stride = model.getScanlineStride();
        int step = model.getPixelStride();
        int x = -raster.getSampleModelTranslateX();
        int y = -raster.getSampleModelTranslateY();
        byte[] src = pixels.data();
        byte[] data = buffer.getData();
        for (int row = 0; row < pixels.height(); row++) {
            interleave(data, buffer.getOffset() + (y + row) * stride + x * step, step, bands, src,
                    row * pixels.width() * ch, ch, pixels.width(), false);
        }
    }

    /**
     * Copies one row of {@code count} pixels between an image's raster (any band order and pixel stride) and ours,
     * {@code toOurs} saying which way; the usual 3- and 4-band cases run without the inner band loop.
     */
    private static void interleave(byte[] raster, int p, int step, int[] bands, byte[] ours, int o, int ch, int count,
                                   boolean toOurs) {
        if (ch == 3) {
            int b0 = bands[0];
            int b1 = bands[1];
            int b2 = bands[2];
            for (int i = 0; i < count; i++, p += step, o += 3) {
                if (toOurs) {
                    ours[o] = raster[p + b0];
                    ours[o + 1] = raster[p + b1];
                    ours[o + 2] = raster[p + b2];
                } else {
                    raster[p + b0] = ours[o];
                    raster[p + b1] = ours[o + 1];
                    raster[p + b2] = ours[o + 2];
                }
            }
            return;
        }
        for (int i = 0; i < count; i++, p += step) {
            for (int b = 0; b < ch; b++, o++) {
                if (toOurs) {
                    ours[o] = raster[p + bands[b]];
                } else {
                    raster[p + bands[b]] = ours[o];
                }
            }
        }
    }
}
