package io.github.knthumbnails.image;

import java.awt.Point;

import net.coobird.thumbnailator.geometry.Position;

/**
 * {@code gravity=smart} (issue 13): places a cover crop where the picture draws attention, in the manner of
 * libvips' {@code attention} strategy (edges, saturated colour and skin tones), as a Thumbnailator {@link Position}.
 *
 * <p>The decoded raster is box-averaged to a saliency map of at most {@value #MAP_SIDE} cells on its longer side;
 * each cell scores
 * <ul>
 *   <li>detail: the absolute Laplacian of its BT.601 luma, less {@value #EDGE_FLOOR} (JPEG noise and film grain);</li>
 *   <li>colour: chroma ({@code max - min} of R, G, B) above {@value #CHROMA_FLOOR}, doubled;</li>
 *   <li>skin: {@value #SKIN} for a cell the RGB rule of Kovač, Peer and Solina (2003) calls skin.</li>
 * </ul>
 * The crop is the window of its size whose cells score most, found with a summed-area table over every position;
 * among equal windows the one nearest the centre wins, so a featureless picture is centre-cropped. Integer
 * arithmetic only: the same image always gives the same crop. The map is built once per source and serves every
 * smart rendition of it; on the shared photos it costs well under a millisecond (README, "Rendition operations").
 */
final class SmartCrop implements Position {

    static final int MAP_SIDE = 64;
    static final int EDGE_FLOOR = 8;
    static final int CHROMA_FLOOR = 40;
    static final int SKIN = 96;

    /** Units of the crop's coordinates per map cell, across and down. */
    private final double cellX;
    private final double cellY;
    private final int mapWidth;
    private final int mapHeight;
    /** Summed-area table, {@code (mapWidth + 1) * (mapHeight + 1)}: sums of the scores above and left of a cell. */
    private final long[] sums;

    private SmartCrop(double cellX, double cellY, int mapWidth, int mapHeight, long[] sums) {
        this.cellX = cellX;
        this.cellY = cellY;
        this.mapWidth = mapWidth;
        this.mapHeight = mapHeight;
        this.sums = sums;
    }

    /**
     * @param decoded the decoded raster, in stored orientation (saliency does not depend on it)
     * @param scaleX  decoded pixels per unit of the coordinates crops are placed in (per source pixel, or per
     *                fraction of one), across
     * @param scaleY  the same, down
     * @return the saliency map of {@code decoded}, ready to place crops of any size in those units
     */
    static SmartCrop of(Pixels decoded, double scaleX, double scaleY) {
        int cell = Math.max(1, (Math.max(decoded.width(), decoded.height()) + MAP_SIDE - 1) / MAP_SIDE);
        Pixels map = cell > 1 ? Resampler.boxReduce(decoded, cell, cell) : decoded;
        int w = map.width();
        int h = map.height();
        int[] luma = new int[w * h];
        int[] score = new int[w * h];
        byte[] d = map.data();
        int ch = map.channels();
        for (int i = 0, p = 0; i < luma.length; i++, p += ch) {
            int r = d[p] & 0xff;
            int g = ch >= 3 ? d[p + 1] & 0xff : r;
            int b = ch >= 3 ? d[p + 2] & 0xff : r;
            luma[i] = (19595 * r + 38470 * g + 7471 * b + 32768) >> 16;
            int max = Math.max(r, Math.max(g, b));
            int min = Math.min(r, Math.min(g, b));
            score[i] = 2 * Math.max(0, max - min - CHROMA_FLOOR) + (skin(r, g, b, max - min) ? SKIN : 0);
        }
        long[] sums = new long[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            long row = 0;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int laplacian = 4 * luma[i] - luma[y * w + Math.max(0, x - 1)] - luma[y * w + Math.min(w - 1, x + 1)]
                        - luma[Math.max(0, y - 1) * w + x] - luma[Math.min(h - 1, y + 1) * w + x];
                row += score[i] + Math.max(0, Math.abs(laplacian) - EDGE_FLOOR);
                sums[(y + 1) * (w + 1) + x + 1] = sums[y * (w + 1) + x + 1] + row;
            }
        }
        return new SmartCrop(cell / scaleX, cell / scaleY, w, h, sums);
    }

    /** Kovač, Peer and Solina's rule for skin under daylight, on sRGB values. */
    private static boolean skin(int r, int g, int b, int spread) {
        return r > 95 && g > 40 && b > 20 && spread > 15 && Math.abs(r - g) > 15 && r > g && r > b;
    }

    /**
     * Where a {@code width}×{@code height} crop goes in the source (Thumbnailator's {@link Position}), in the units
     * {@link #of} was given.
     *
     * @param enclosingWidth  the source's stored width
     * @param enclosingHeight its height
     * @param width           the crop's width
     * @param height          its height
     * @param insetLeft       ignored (0 for a source region)
     * @param insetRight      ignored
     * @param insetTop        ignored
     * @param insetBottom     ignored
     * @return the crop's top left corner, inside the source
     */
    @Override
    public Point calculate(int enclosingWidth, int enclosingHeight, int width, int height, int insetLeft,
                          int insetRight, int insetTop, int insetBottom) {
        int ww = Math.min(mapWidth, Math.max(1, (int) Math.round(width / cellX)));
        int wh = Math.min(mapHeight, Math.max(1, (int) Math.round(height / cellY)));
        long best = -1;
        long bestDistance = Long.MAX_VALUE;
        int bestX = 0;
        int bestY = 0;
        for (int y = 0; y + wh <= mapHeight; y++) {
            for (int x = 0; x + ww <= mapWidth; x++) {
                long sum = sum(x, y, ww, wh);
                // Twice the offset from centred, so half cells stay integers.
                long dx = 2L * x + ww - mapWidth;
                long dy = 2L * y + wh - mapHeight;
                long distance = dx * dx + dy * dy;
                if (sum > best || sum == best && distance < bestDistance) {
                    best = sum;
                    bestDistance = distance;
                    bestX = x;
                    bestY = y;
                }
            }
        }
        int x = (int) Math.round((bestX + ww / 2.0) * cellX - width / 2.0);
        int y = (int) Math.round((bestY + wh / 2.0) * cellY - height / 2.0);
        return new Point(Math.max(0, Math.min(enclosingWidth - width, x)),
                Math.max(0, Math.min(enclosingHeight - height, y)));
    }

    private long sum(int x, int y, int w, int h) {
        int stride = mapWidth + 1;
        return sums[(y + h) * stride + x + w] - sums[y * stride + x + w] - sums[(y + h) * stride + x]
                + sums[y * stride + x];
    }
}
