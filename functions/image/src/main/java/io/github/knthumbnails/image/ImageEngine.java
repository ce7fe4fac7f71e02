package io.github.knthumbnails.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.geometry.Positions;
import net.coobird.thumbnailator.tasks.UnsupportedFormatException;

/**
 * Turns the bytes of a source image into renditions.
 *
 * <p>Steps, in order: admission by byte size; format detection from the bytes (never the name or Content-Type);
 * admission by the pixel count the header declares — all before any pixel is decoded; then, per rendition,
 * decode with EXIF orientation applied (Thumbnailator), scale ({@code cover}: fill and centre-crop;
 * {@code fit}: inside the box, never upscaled), flatten any alpha onto white, and encode a baseline JPEG that
 * carries no EXIF/GPS/XMP. Output bytes are a pure function of (source bytes, spec).
 *
 * <p>Thread-safe and stateless apart from its limits.
 */
public final class ImageEngine {

    static {
        // Without this, ImageIO caches streams in temporary files under java.io.tmpdir.
        ImageIO.setUseCache(false);
    }

    private final ImageLimits limits;

    /**
     * @param limits admission limits
     */
    public ImageEngine(ImageLimits limits) {
        this.limits = limits;
    }

    /**
     * @param source the whole source object
     * @param specs  the renditions to produce, at least one
     * @return one rendition per spec, in order
     * @throws ImageRejectedException if the source is empty, over a limit, not a readable image, or corrupt; no
     *                                other exception escapes for bad input
     */
    public List<Rendition> render(byte[] source, List<RenditionSpec> specs) throws ImageRejectedException {
        Header header = admit(source);
        List<Rendition> renditions = new ArrayList<>(specs.size());
        for (RenditionSpec spec : specs) {
            renditions.add(render(source, header, spec));
        }
        return renditions;
    }

    private record Header(String format, int width, int height) {
    }

    private Header admit(byte[] source) throws ImageRejectedException {
        if (source.length == 0) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "the object is empty (0 bytes), not an image");
        }
        if (source.length > limits.maxBytes()) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the object is " + source.length + " bytes; "
                    + ImageLimits.MAX_IMAGE_BYTES + " allows " + limits.maxBytes());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(source))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT,
                        "not an image format this function can read (" + describe(source) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageRejectedException(Reason.CORRUPT, "the " + format + " header cannot be read: "
                            + e.getMessage(), e);
                }
                if ((long) width * height > limits.maxPixels()) {
                    throw new ImageRejectedException(Reason.TOO_LARGE, "the image is " + width + "x" + height + " = "
                            + (long) width * height + " pixels; " + ImageLimits.MAX_IMAGE_PIXELS + " allows "
                            + limits.maxPixels());
                }
                return new Header(format, width, height);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new ImageRejectedException(Reason.CORRUPT, "the image cannot be read: " + e.getMessage(), e);
        }
    }

    private static Rendition render(byte[] source, Header header, RenditionSpec spec) throws ImageRejectedException {
        BufferedImage scaled;
        try {
            Thumbnails.Builder<?> builder = Thumbnails.of(new ByteArrayInputStream(source));
            if (spec.mode() == RenditionSpec.Mode.COVER) {
                builder.size(spec.width(), spec.height()).crop(Positions.CENTER);
            } else if (header.width() <= spec.width() && header.height() <= spec.height()) {
                builder.scale(1.0);
            } else {
                builder.size(spec.width(), spec.height());
            }
            scaled = builder.asBufferedImage();
        } catch (UnsupportedFormatException e) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "the " + header.format()
                    + " image cannot be decoded: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(Reason.CORRUPT, "the " + header.format() + " image is corrupt: "
                    + e.getMessage(), e);
        }
        BufferedImage rgb = flattenOnWhite(scaled);
        return new Rendition(spec, rgb.getWidth(), rgb.getHeight(), spec.contentType(), jpeg(rgb, spec.quality()));
    }

    private static BufferedImage flattenOnWhite(BufferedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static byte[] jpeg(BufferedImage image, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new IllegalStateException("encoding JPEG into memory cannot fail", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Names well-known non-image and unsupported formats by their magic bytes, for readable failure reasons. */
    static String describe(byte[] b) {
        if (startsWith(b, "%PDF")) {
            return "it is a PDF document";
        }
        if (b.length >= 12 && startsWith(b, 4, "ftyp")) {
            String brand = new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
            return brand.startsWith("avi") ? "it is an AVIF image, which is not supported"
                    : brand.startsWith("hei") || brand.startsWith("mif") ? "it is a HEIC/HEIF image, which is not supported"
                    : "it is an ISO media file (" + brand + ")";
        }
        if (startsWith(b, "RIFF") && b.length >= 12 && startsWith(b, 8, "WEBP")) {
            return "it is a WebP image, which is not supported yet";
        }
        if (startsWith(b, "PK")) {
            return "it is a ZIP archive";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, b.length); i++) {
            hex.append(String.format("%02x", b[i] & 0xff));
        }
        return "it starts with bytes " + hex;
    }

    private static boolean startsWith(byte[] b, String ascii) {
        return startsWith(b, 0, ascii);
    }

    private static boolean startsWith(byte[] b, int offset, String ascii) {
        if (b.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[offset + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
