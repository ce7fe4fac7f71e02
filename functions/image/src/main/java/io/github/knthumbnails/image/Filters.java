package io.github.knthumbnails.image;

import java.awt.image.BufferedImage;
import java.util.function.UnaryOperator;

import net.coobird.thumbnailator.filters.ImageFilter;

/**
 * The operations a rendition can ask for after its resize (issue 13), on our rasters, and each as a Thumbnailator
 * {@link ImageFilter} for the composition ({@link Composer}). Integer arithmetic throughout, so output is identical on
 * every JVM and CPU.
 */
final class Filters {

    private static final int BITS = 14;
    private static final int ONE = 1 << BITS;
    private static final int HALF = 1 << (BITS - 1);

    private Filters() {
    }

    /**
     * Runs {@code operation} as a Thumbnailator filter: the image Thumbnailator hands over is read as one of our
     * rasters (without a copy when it is one, {@link Rasters#view}) and the result is wrapped without a copy.
     *
     * @param operation what to do with the pixels
     * @return the filter
     */
    static ImageFilter filter(UnaryOperator<Pixels> operation) {
        return (BufferedImage image) -> Rasters.image(operation.apply(Rasters.view(image).copy()));
    }

    /**
     * Grey from colour by ITU-R BT.601 luma, {@code (19595 R + 38470 G + 7471 B) / 65536} on the sRGB values: the
     * conversion of libjpeg and Pillow's {@code convert("L")}.
     *
     * @param pixels any raster
     * @return one grey channel for grey or RGB input (so a JPEG rendition is a one-component JPEG); for premultiplied
     *         RGBA, RGBA with R = G = B = luma and alpha kept
     */
    static Pixels grayscale(Pixels pixels) {
        int ch = pixels.channels();
        if (ch == 1) {
            return pixels;
        }
        byte[] s = pixels.data();
        int n = pixels.width() * pixels.height();
        byte[] out = new byte[ch == 4 ? s.length : n];
        for (int i = 0, p = 0; i < n; i++, p += ch) {
            int luma = (19595 * (s[p] & 0xff) + 38470 * (s[p + 1] & 0xff) + 7471 * (s[p + 2] & 0xff) + 32768) >> 16;
            if (ch == 4) {
                out[p] = out[p + 1] = out[p + 2] = (byte) luma;
                out[p + 3] = s[p + 3];
            } else {
                out[i] = (byte) luma;
            }
        }
        return new Pixels(pixels.width(), pixels.height(), ch == 4 ? 4 : 1, out);
    }

    /**
     * A Gaussian blur, separable, the kernel cut at 3 sigma and renormalised; edges repeat their outermost pixel.
     * All channels alike, which is right for premultiplied alpha. Costs {@code 2 * (2 * ceil(3 sigma) + 1)}
     * multiply-adds per byte.
     *
     * @param pixels the raster
     * @param sigma  standard deviation in pixels, positive
     * @return the blurred raster, same size and channels
     */
    static Pixels blur(Pixels pixels, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        int[] kernel = kernel(sigma, radius);
        int w = pixels.width();
        int h = pixels.height();
        int ch = pixels.channels();
        byte[] s = pixels.data();
        int stride = w * ch;
        // Horizontal: each row padded with copies of its end pixels, then one multiply-add per tap over the whole
        // row, a loop the JIT vectorises (as the vertical pass below).
        byte[] tmp = new byte[s.length];
        byte[] padded = new byte[(w + 2 * radius) * ch];
        int[] row = new int[stride];
        for (int y = 0; y < h; y++) {
            int p = y * stride;
            for (int k = 0; k < radius; k++) {
                System.arraycopy(s, p, padded, k * ch, ch);
                System.arraycopy(s, p + stride - ch, padded, (radius + w + k) * ch, ch);
            }
            System.arraycopy(s, p, padded, radius * ch, stride);
            java.util.Arrays.fill(row, HALF);
            for (int k = 0; k <= 2 * radius; k++) {
                int weight = kernel[k];
                int q = k * ch;
                for (int i = 0; i < stride; i++) {
                    row[i] += (padded[q + i] & 0xff) * weight;
                }
            }
            for (int i = 0; i < stride; i++) {
                tmp[p + i] = clamp(row[i]);
            }
        }
        byte[] out = new byte[s.length];
        int[] acc = new int[stride];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, HALF);
            for (int k = -radius; k <= radius; k++) {
                int p = Math.min(h - 1, Math.max(0, y + k)) * stride;
                int weight = kernel[k + radius];
                for (int i = 0; i < stride; i++) {
                    acc[i] += (tmp[p + i] & 0xff) * weight;
                }
            }
            for (int i = 0, o = y * stride; i < stride; i++) {
                out[o + i] = clamp(acc[i]);
            }
        }
        return new Pixels(w, h, ch, out);
    }

    /** Fixed-point weights of a Gaussian over {@code -radius..radius}, summing to exactly {@link #ONE}. */
    private static int[] kernel(double sigma, int radius) {
        double[] g = new double[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) {
            g[k + radius] = StrictMath.exp(-(double) k * k / (2 * sigma * sigma));
            sum += g[k + radius];
        }
        int[] kernel = new int[g.length];
        int total = 0;
        for (int i = 0; i < g.length; i++) {
            kernel[i] = (int) Math.round(g[i] / sum * ONE);
            total += kernel[i];
        }
        kernel[radius] += ONE - total; // exact unity gain: flat areas stay flat
        return kernel;
    }

    private static byte clamp(int acc) {
        int v = acc >> BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
