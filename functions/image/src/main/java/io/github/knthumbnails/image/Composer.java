package io.github.knthumbnails.image;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.github.knthumbnails.image.RenditionSpec.Mode;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.filters.ImageFilter;
import net.coobird.thumbnailator.geometry.Position;
import net.coobird.thumbnailator.geometry.Positions;

/**
 * Composes each rendition of one decoded source with Thumbnailator (issue 13): a cover crop is placed by a
 * {@link Positions} constant or by {@link SmartCrop}, to 1/{@value #SUBPIXEL} source pixel, and becomes
 * Thumbnailator's source region; the resize is our Lanczos-3 as its {@code Resizer} ({@link LanczosResizer}, which
 * keeps the crop's sub-pixel position in the reduced decode); the EXIF orientation, the conversion from an embedded profile to sRGB, {@code grayscale}
 * and {@code blur} are its filters, in that order ({@link Filters}). The decoded raster is handed to Thumbnailator
 * without a copy ({@link Rasters}); what Thumbnailator adds is a copy of each output.
 *
 * <p>Not thread-safe: one per render.
 */
final class Composer {

    /**
     * Positions are asked in units of 1/{@value} source pixel. They answer in whole units, and a crop placed to the
     * whole source pixel moves a small source's thumbnail visibly: sharp's 480x369 Landscape_9 as a 320x180 cover
     * crop sits half a source pixel (a third of an output pixel) off centre, and its pixels differ from the exact
     * crop's by 5.1 levels on average. A source wider or taller than 2^20 pixels (a PNG may be) gets coarser units,
     * so sides stay within an {@code int}.
     */
    static final int SUBPIXEL = 1024;

    /** Thumbnailator's places for a crop, by where it sits across (0, 0.5, 1) and down (0, 0.5, 1). */
    private static final Positions[][] PLACES = {
            {Positions.TOP_LEFT, Positions.CENTER_LEFT, Positions.BOTTOM_LEFT},
            {Positions.TOP_CENTER, Positions.CENTER, Positions.BOTTOM_CENTER},
            {Positions.TOP_RIGHT, Positions.CENTER_RIGHT, Positions.BOTTOM_RIGHT}};

    private final SourceHeader header;
    private final Decoder.Decoded decoded;
    private final BufferedImage image;
    private final ImageFilter orientation;
    private final ImageFilter toSrgb;
    /** Units per source pixel that Positions place crops in: {@link #SUBPIXEL}, or fewer for a huge source. */
    private final int unit;
    private SmartCrop smart;

    /**
     * @param header  the admitted source header (stored size, EXIF orientation)
     * @param decoded its decoded first frame
     */
    Composer(SourceHeader header, Decoder.Decoded decoded) {
        this.header = header;
        this.decoded = decoded;
        this.image = Rasters.image(decoded.pixels());
        this.unit = Math.max(1, Math.min(SUBPIXEL,
                Integer.highestOneBit((1 << 30) / Math.max(header.width(), header.height()))));
        this.orientation = header.orientation() > 1 && header.orientation() <= 8
                ? Filters.filter(p -> p.oriented(header.orientation())) : null;
        this.toSrgb = decoded.profile() != null ? Filters.filter(p -> Colors.toSrgb(p, decoded.profile())) : null;
    }

    /**
     * @param spec     the rendition
     * @param geometry its crop size and output size in stored pixels ({@link ImageEngine.Geometry})
     * @return the rendition's pixels as displayed: oriented, in sRGB, with the spec's operations applied
     */
    Pixels compose(RenditionSpec spec, ImageEngine.Geometry geometry) {
        // The region in source pixels: all of it for fit, the crop where the gravity puts it for cover.
        double sx = 0;
        double sy = 0;
        if (spec.mode() == Mode.COVER) {
            Point at = position(spec.gravity()).calculate(header.width() * unit, header.height() * unit,
                    (int) Math.round(geometry.width() * unit), (int) Math.round(geometry.height() * unit), 0, 0, 0, 0);
            sx = Math.max(0, Math.min(header.width() - geometry.width(), at.x / (double) unit));
            sy = Math.max(0, Math.min(header.height() - geometry.height(), at.y / (double) unit));
        }
        // The same region in the decoded raster, exactly, and the whole pixels around it for Thumbnailator.
        double x = sx * decoded.scaleX() + decoded.offset();
        double y = sy * decoded.scaleY() + decoded.offset();
        double w = geometry.width() * decoded.scaleX();
        double h = geometry.height() * decoded.scaleY();
        int left = Math.max(0, (int) Math.floor(x));
        int top = Math.max(0, (int) Math.floor(y));
        int channels = decoded.pixels().channels();
        Thumbnails.Builder<BufferedImage> builder = Thumbnails.of(image)
                .sourceRegion(left, top, Math.max(1, Math.min(image.getWidth(), (int) Math.ceil(x + w)) - left),
                        Math.max(1, Math.min(image.getHeight(), (int) Math.ceil(y + h)) - top))
                .forceSize(geometry.storedWidth(), geometry.storedHeight())
                .resizer(new LanczosResizer(x, y, w, h))
                .imageType(channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                        : channels == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_4BYTE_ABGR_PRE);
        for (ImageFilter filter : new ImageFilter[] {orientation, toSrgb,
                spec.grayscale() ? Filters.filter(Filters::grayscale) : null,
                spec.blur() > 0 ? Filters.filter(p -> Filters.blur(p, spec.blur())) : null}) {
            if (filter != null) {
                builder.addFilter(filter);
            }
        }
        try {
            return Rasters.view(builder.asBufferedImage()).copy();
        } catch (IOException e) { // declared for files and streams; a BufferedImage source never throws it
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param gravity where the crop sits on the picture as displayed
     * @return where it sits in the stored source, in units of 1/unit source pixel: the EXIF
     *         orientation turns and mirrors the compass
     */
    private Position position(Gravity gravity) {
        if (gravity == Gravity.SMART) {
            if (smart == null) {
                smart = SmartCrop.of(decoded.pixels(), decoded.scaleX() / unit, decoded.scaleY() / unit);
            }
            return smart;
        }
        double u = gravity.x();
        double v = gravity.y();
        // (u, v) on the displayed picture to (su, sv) on the stored one, the inverse of Pixels.oriented.
        double[] stored = switch (header.orientation()) {
            case 2 -> new double[] {1 - u, v};
            case 3 -> new double[] {1 - u, 1 - v};
            case 4 -> new double[] {u, 1 - v};
            case 5 -> new double[] {v, u};
            case 6 -> new double[] {v, 1 - u};
            case 7 -> new double[] {1 - v, 1 - u};
            case 8 -> new double[] {1 - v, u};
            default -> new double[] {u, v};
        };
        return PLACES[(int) Math.round(stored[0] * 2)][(int) Math.round(stored[1] * 2)];
    }
}
