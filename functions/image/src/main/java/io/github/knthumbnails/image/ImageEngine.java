package io.github.knthumbnails.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import io.github.knthumbnails.image.RenditionSpec.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of a source image into renditions.
 *
 * <p>The pipeline, in order (issue 4):
 * <ol>
 *   <li>admission, before any pixel is decoded: byte size ({@code MAX_IMAGE_BYTES}); format, dimensions and frame
 *       count from the header ({@link SourceHeader}, magic bytes, never the name or Content-Type); pixel count
 *       ({@code MAX_IMAGE_PIXELS}); JPEG processes no decoder here reads (12-bit, lossless);</li>
 *   <li>one decode of the first frame for all renditions, reduced at decode time to at least
 *       {@value Decoder#NATIVE_GAP}× the largest rendition (libjpeg-turbo DCT scaling) or
 *       {@value Decoder#FALLBACK_GAP}× (ImageIO point subsampling, which aliases more and so keeps more), so memory
 *       follows the renditions, not the source;
 *       CMYK/YCCK and embedded non-sRGB profiles end up in sRGB;</li>
 *   <li>per rendition: the crop ({@code cover}: fill and centre-crop; {@code fit}: inside the box, never
 *       upscaled), a Lanczos-3 downscale ({@link Resampler}), the EXIF orientation, then either a PNG with alpha
 *       (profile asks for PNG and the source has transparency) or a JPEG with transparency flattened onto
 *       {@code IMAGE_BACKGROUND}. Output carries no EXIF/GPS/XMP and is a pure function of (source bytes, spec,
 *       codec: libjpeg-turbo or ImageIO).</li>
 * </ol>
 *
 * <p>Thread-safe. Nothing but {@link ImageRejectedException} escapes {@link #render} for any input.
 */
public final class ImageEngine {

    private static final Logger log = LoggerFactory.getLogger(ImageEngine.class);
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private final EngineSettings settings;
    private final Decoder decoder;
    private final Encoder encoder;
    private final String jpegDecoder;

    /**
     * An engine that decodes JPEGs with libjpeg-turbo when {@code settings} point at it, else with ImageIO.
     *
     * @param settings limits, background, where libjpeg-turbo lives
     */
    public ImageEngine(EngineSettings settings) {
        this(settings, true);
    }

    /**
     * An engine that decodes JPEGs with libjpeg-turbo when {@code useNative} is set and the binding loads from
     * {@code settings}, else with ImageIO; the choice is logged once per JVM at INFO and readable from
     * {@link #jpegDecoder()}. A binding that does not load is not an error: the engine falls back to ImageIO.
     *
     * @param settings  limits, background colour, paths of libjpeg-turbo's jar and native library
     * @param useNative {@code false} forces the pure-Java JPEG decoder even where libjpeg-turbo is installed (tests
     *                  and benchmarks compare the two)
     */
    public ImageEngine(EngineSettings settings, boolean useNative) {
        this.settings = settings;
        TurboJpeg turbo = null;
        String why = "disabled by the caller";
        if (useNative) {
            try {
                turbo = TurboJpeg.load(settings.turboJpegJar(), settings.turboJpegLibrary());
            } catch (IllegalStateException e) {
                why = e.getMessage();
            }
        }
        this.decoder = new Decoder(turbo);
        this.encoder = new Encoder(turbo);
        this.jpegDecoder = turbo != null
                ? turbo.description() + " (DCT-domain scaling; it also encodes the JPEG renditions)"
                : "ImageIO, pure Java with subsampled reads (libjpeg-turbo not used: " + why + ")";
        if (ANNOUNCED.add(jpegDecoder)) {
            log.info("JPEG decoder: {}", jpegDecoder);
        }
    }

    /** @return which JPEG decoder this engine uses, readable, e.g. for logs and benchmarks */
    public String jpegDecoder() {
        return jpegDecoder;
    }

    /**
     * Renders every rendition of one source from a single decode of its first frame, after admitting the source on
     * its header alone (see the class comment for the pipeline).
     *
     * @param source the whole source object, in bytes (at most {@code MAX_IMAGE_BYTES})
     * @param specs  the renditions to produce, at least one
     * @return one rendition per spec, in the order of {@code specs}: encoded JPEG or PNG bytes and their size in
     *         pixels
     * @throws ImageRejectedException {@code unsupported_format} when the source is empty or not a format (or JPEG
     *                                process) we decode; {@code too_large} when it is over {@code MAX_IMAGE_BYTES}
     *                                or {@code MAX_IMAGE_PIXELS}, or when decoding runs out of memory (an
     *                                {@link OutOfMemoryError} is turned into {@code too_large}); {@code corrupt}
     *                                when the header is malformed or the data cannot be decoded (an unexpected
     *                                RuntimeException is also logged at WARN with its stack trace). No other
     *                                exception escapes for any input.
     */
    public List<Rendition> render(byte[] source, List<RenditionSpec> specs) throws ImageRejectedException {
        SourceHeader header = admit(source);
        try {
            Decoder.Decoded decoded = decoder.decode(source, header, need(header, specs), wantsPng(specs),
                    settings.background());
            List<Rendition> renditions = new ArrayList<>(specs.size());
            for (RenditionSpec spec : specs) {
                renditions.add(render(header, decoded, spec));
            }
            return renditions;
        } catch (RuntimeException e) {
            // A decoder's exception on hostile data, or a bug of ours: either way the image fails as corrupt, and
            // the stack trace lets an operator tell which.
            log.warn("Decoding a {} image of {} bytes failed; recording it as corrupt", header.format(),
                    source.length, e);
            throw new ImageRejectedException(Reason.CORRUPT, "the " + header.format() + " image cannot be decoded ("
                    + e + ")", e);
        } catch (OutOfMemoryError e) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the " + header.format() + " image needs more memory"
                    + " than this function has; lower " + ImageLimits.MAX_IMAGE_PIXELS + " or raise the heap", e);
        }
    }

    private SourceHeader admit(byte[] source) throws ImageRejectedException {
        if (source.length == 0) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "the object is empty (0 bytes), not an image");
        }
        ImageLimits limits = settings.limits();
        if (source.length > limits.maxBytes()) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the object is " + source.length + " bytes; "
                    + ImageLimits.MAX_IMAGE_BYTES + " allows " + limits.maxBytes());
        }
        SourceHeader header = SourceHeader.read(source);
        if (header.format() == SourceHeader.Format.TIFF) {
            header = tiffHeader(source);
        }
        long pixels = (long) header.width() * header.height();
        if (pixels > limits.maxPixels()) {
            throw new ImageRejectedException(Reason.TOO_LARGE, "the image is " + header.width() + "x"
                    + header.height() + " = " + pixels + " pixels; " + ImageLimits.MAX_IMAGE_PIXELS + " allows "
                    + limits.maxPixels());
        }
        if (header.jpeg() != null && !header.jpeg().decodable()) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "not a JPEG this function can read ("
                    + header.jpeg().whyNotDecodable() + ")");
        }
        return header;
    }

    /** TIFF dimensions sit in an IFD anywhere in the file: ask the JDK's TIFF reader, which reads only the IFD. */
    private static SourceHeader tiffHeader(byte[] source) throws ImageRejectedException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(source))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "no decoder reads this TIFF image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new SourceHeader(SourceHeader.Format.TIFF, reader.getWidth(0), reader.getHeight(0), 1, 1, null);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageRejectedException(Reason.CORRUPT, "the TIFF header cannot be read (" + e.getMessage() + ")",
                    e);
        }
    }

    private static boolean wantsPng(List<RenditionSpec> specs) {
        return specs.stream().anyMatch(s -> s.format() == RenditionSpec.Format.PNG);
    }

    /** The largest scale any rendition needs, output size over source size. */
    private static double need(SourceHeader header, List<RenditionSpec> specs) {
        double need = 0;
        for (RenditionSpec spec : specs) {
            need = Math.max(need, Geometry.of(header, spec).scale());
        }
        return need;
    }

    private Rendition render(SourceHeader header, Decoder.Decoded decoded, RenditionSpec spec) {
        Geometry g = Geometry.of(header, spec);
        Pixels d = decoded.pixels();
        double x = g.x() * decoded.scaleX() + decoded.offset();
        double y = g.y() * decoded.scaleY() + decoded.offset();
        Pixels out = Resampler.resize(d, x, y, g.width() * decoded.scaleX(), g.height() * decoded.scaleY(),
                g.storedWidth(), g.storedHeight()).oriented(header.orientation());
        if (decoded.profile() != null) {
            out = Colors.toSrgb(out, decoded.profile());
        }
        if (out.channels() == 4 && spec.format() == RenditionSpec.Format.PNG) {
            return new Rendition(spec, out.width(), out.height(), "image/png", encoder.png(out));
        }
        out = out.flattened(settings.background());
        return new Rendition(spec, out.width(), out.height(), "image/jpeg", encoder.jpeg(out, spec.quality()));
    }

    /**
     * Where a rendition comes from in the source and how big it is, in stored (pre-orientation) pixels.
     *
     * @param x            left edge of the source region
     * @param y            top edge
     * @param width        region width
     * @param height       region height
     * @param storedWidth  output width before orientation
     * @param storedHeight output height before orientation
     * @param scale        output size over source size
     */
    record Geometry(double x, double y, double width, double height, int storedWidth, int storedHeight,
                    double scale) {

        static Geometry of(SourceHeader header, RenditionSpec spec) {
            boolean swap = header.orientation() >= 5;
            // The box as the stored image sees it: orientations 5-8 turn the picture by 90 degrees.
            int boxW = swap ? spec.height() : spec.width();
            int boxH = swap ? spec.width() : spec.height();
            double w = header.width();
            double h = header.height();
            if (spec.mode() == Mode.FIT) {
                double k = Math.min(1.0, Math.min(boxW / w, boxH / h));
                int ow = (int) Math.max(1, Math.min(boxW, Math.round(w * k)));
                int oh = (int) Math.max(1, Math.min(boxH, Math.round(h * k)));
                return new Geometry(0, 0, w, h, ow, oh, k);
            }
            double k = Math.max(boxW / w, boxH / h);
            double cw = Math.min(w, boxW / k);
            double ch = Math.min(h, boxH / k);
            // A centred crop is its own mirror image, so flips in the orientation do not move it.
            return new Geometry((w - cw) / 2, (h - ch) / 2, cw, ch, boxW, boxH, k);
        }
    }
}
