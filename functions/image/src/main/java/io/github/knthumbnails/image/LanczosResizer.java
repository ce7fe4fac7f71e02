package io.github.knthumbnails.image;

import java.awt.image.BufferedImage;

import net.coobird.thumbnailator.resizers.Resizer;

/**
 * Our Lanczos-3 ({@link Resampler}) as Thumbnailator's {@link Resizer} (issue 13), so composing a rendition with
 * Thumbnailator keeps the engine's speed and quality.
 *
 * <p>Thumbnailator crops in whole pixels of the image it is given, the reduced decode; a pixel there is 2 to 8 of the
 * source's, and a crop that far off moves a line-art thumbnail visibly (measured: corkami's progressive JPEG and its
 * PNG twin, whose thumbnails differ by less than 4 levels on average, differed by 14.3 with whole-pixel crops). So
 * the crop is placed in source pixels ({@link Composer}), Thumbnailator's source region is the whole decoded pixels
 * around it, and this resizer resamples exactly the fractional region, reading the decoded raster the region is a
 * sub-image of (Lanczos taps may reach past the region's edge, as for any crop).
 */
final class LanczosResizer implements Resizer {

    private final double x;
    private final double y;
    private final double width;
    private final double height;

    /**
     * @param x      left edge of the region, in decoded pixels (fractional)
     * @param y      top edge
     * @param width  region width, positive
     * @param height region height, positive
     */
    LanczosResizer(double x, double y, double width, double height) {
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
    }

    /**
     * Resamples the region to the size of {@code destImage}.
     *
     * @param srcImage  the decoded raster as {@link Rasters#image} wrapped it, or a sub-image of it
     * @param destImage a byte-interleaved image with as many channels, written in place
     * @throws IllegalArgumentException if {@code srcImage} is not one of our rasters, or the channels differ
     */
    @Override
    public void resize(BufferedImage srcImage, BufferedImage destImage) {
        Pixels out = Resampler.resize(Rasters.backing(srcImage), x, y, width, height, destImage.getWidth(),
                destImage.getHeight());
        Rasters.copy(out, destImage);
    }
}
