package io.github.knthumbnails.image;

/**
 * Separable Lanczos-3 resampling of a region of a raster, in fixed-point integer arithmetic (so results are
 * identical on every JVM and CPU).
 *
 * <p>The kernel is widened by the reduction factor, so every source pixel under an output pixel contributes (a
 * proper low-pass filter, no aliasing), and weights are renormalised at the image edges. Pixel centres sit at
 * {@code i + 0.5}; this is the convention of Pillow's and libvips' reducers, so thumbnails line up with theirs.
 * The horizontal pass runs only over the source rows the vertical pass needs.
 */
final class Resampler {

    private static final int SUPPORT = 3;
    private static final int BITS = 14;
    private static final int ONE = 1 << BITS;
    private static final int HALF = 1 << (BITS - 1);

    private Resampler() {
    }

    /**
     * @param src the source raster
     * @param x   left edge of the region, in source pixels (may be fractional)
     * @param y   top edge of the region
     * @param w   region width in source pixels, positive
     * @param h   region height in source pixels, positive
     * @param ow  output width in pixels
     * @param oh  output height in pixels
     * @return an {@code ow}×{@code oh} raster with the source's channels
     */
    static Pixels resize(Pixels src, double x, double y, double w, double h, int ow, int oh) {
        int ch = src.channels();
        Taps horizontal = taps(x, w, src.width(), ow);
        Taps vertical = taps(y, h, src.height(), oh);
        int firstRow = vertical.start[0];
        int lastRow = 0;
        for (int i = 0; i < oh; i++) {
            firstRow = Math.min(firstRow, vertical.start[i]);
            lastRow = Math.max(lastRow, vertical.start[i] + vertical.count[i]);
        }
        int rows = lastRow - firstRow;
        byte[] tmp = new byte[rows * ow * ch];
        byte[] s = src.data();
        int srcStride = src.width() * ch;
        for (int r = 0; r < rows; r++) {
            horizontalRow(s, (firstRow + r) * srcStride, tmp, r * ow * ch, horizontal, ow, ch);
        }
        byte[] out = new byte[ow * oh * ch];
        int stride = ow * ch;
        for (int oy = 0; oy < oh; oy++) {
            int start = vertical.start[oy] - firstRow;
            int count = vertical.count[oy];
            int wBase = oy * vertical.max;
            int o = oy * stride;
            for (int i = 0; i < stride; i++) {
                int acc = HALF;
                int p = start * stride + i;
                for (int k = 0; k < count; k++, p += stride) {
                    acc += (tmp[p] & 0xff) * vertical.weights[wBase + k];
                }
                out[o + i] = clamp(acc);
            }
        }
        return new Pixels(ow, oh, ch, out);
    }

    private static void horizontalRow(byte[] s, int row, byte[] d, int o, Taps t, int ow, int ch) {
        for (int ox = 0; ox < ow; ox++) {
            int p = row + t.start[ox] * ch;
            int wBase = ox * t.max;
            int count = t.count[ox];
            if (ch == 3) {
                int a0 = HALF;
                int a1 = HALF;
                int a2 = HALF;
                for (int k = 0; k < count; k++, p += 3) {
                    int wk = t.weights[wBase + k];
                    a0 += (s[p] & 0xff) * wk;
                    a1 += (s[p + 1] & 0xff) * wk;
                    a2 += (s[p + 2] & 0xff) * wk;
                }
                d[o++] = clamp(a0);
                d[o++] = clamp(a1);
                d[o++] = clamp(a2);
            } else {
                for (int c = 0; c < ch; c++) {
                    int acc = HALF;
                    for (int k = 0, q = p + c; k < count; k++, q += ch) {
                        acc += (s[q] & 0xff) * t.weights[wBase + k];
                    }
                    d[o++] = clamp(acc);
                }
            }
        }
    }

    private static byte clamp(int acc) {
        int v = acc >> BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Per output pixel: first source pixel, number of taps, and fixed-point weights summing to {@code ONE}. */
    private record Taps(int[] start, int[] count, int[] weights, int max) {
    }

    private static Taps taps(double from, double length, int size, int out) {
        double scale = length / out;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int max = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[out];
        int[] count = new int[out];
        int[] weights = new int[out * max];
        double[] w = new double[max];
        for (int i = 0; i < out; i++) {
            double centre = from + (i + 0.5) * scale;
            int lo = Math.max((int) Math.floor(centre - support + 0.5), 0);
            int hi = Math.min((int) Math.floor(centre + support + 0.5), size);
            if (hi <= lo) { // a region past the edge: use the nearest pixel
                lo = Math.min(Math.max((int) Math.floor(centre), 0), size - 1);
                hi = lo + 1;
            }
            int n = Math.min(hi - lo, max);
            double sum = 0;
            for (int k = 0; k < n; k++) {
                w[k] = lanczos((lo + k + 0.5 - centre) / filterScale);
                sum += w[k];
            }
            if (Math.abs(sum) < 1e-9) {
                java.util.Arrays.fill(w, 0, n, 1.0);
                sum = n;
            }
            int total = 0;
            int biggest = 0;
            for (int k = 0; k < n; k++) {
                int fixed = (int) Math.round(w[k] / sum * ONE);
                weights[i * max + k] = fixed;
                total += fixed;
                if (Math.abs(fixed) > Math.abs(weights[i * max + biggest])) {
                    biggest = k;
                }
            }
            weights[i * max + biggest] += ONE - total; // exact unity gain: flat areas stay flat
            start[i] = lo;
            count[i] = n;
        }
        return new Taps(start, count, weights, max);
    }

    private static double lanczos(double x) {
        if (x == 0) {
            return 1;
        }
        if (x <= -SUPPORT || x >= SUPPORT) {
            return 0;
        }
        double px = Math.PI * x;
        return SUPPORT * Math.sin(px) * Math.sin(px / SUPPORT) / (px * px);
    }
}
