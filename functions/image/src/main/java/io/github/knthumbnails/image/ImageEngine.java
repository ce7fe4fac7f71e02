package io.github.knthumbnails.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import io.github.knthumbnails.image.RenditionSpec.Mode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of a source image into renditions.
 *
 * <p>The pipeline, in order (issue 4):
 * <ol>
 *   <li>admission, before any pixel is decoded, so no decoder is handed bytes whose decoded size was not admitted
 *       (issue 8, finding 2): byte size ({@code MAX_IMAGE_BYTES}); format, dimensions and frame count from the
 *       header ({@link SourceHeader}, magic bytes, never the name or Content-Type); pixel count
 *       ({@code MAX_IMAGE_PIXELS}), for a TIFF the whole grid of tiles; what a decoder holds at full resolution
 *       ({@value Admission#FULL_BYTES_PER_PIXEL} bytes per admitted pixel: a progressive JPEG's coefficients, a
 *       WebP's raster; a TIFF strip or tile, at most 64 MiB); at most {@value Admission#MAX_SCANS} JPEG scans;
 *       refused outright: JPEG processes no decoder here reads (12-bit, lossless), BMPs embedding JPEG/PNG,
 *       JPEG-compressed TIFFs ({@link Admission} and the header readers);</li>
 *   <li>one decode of the first frame for all renditions, reduced at decode time to at least
 *       {@value Decoder#NATIVE_GAP}× the largest rendition (libjpeg-turbo DCT scaling) or
 *       {@value Decoder#FALLBACK_GAP}× (ImageIO point subsampling, which aliases more and so keeps more), so memory
 *       follows the renditions, not the source;
 *       CMYK/YCCK and embedded non-sRGB profiles end up in sRGB;</li>
 *   <li>per rendition, composed with Thumbnailator ({@link Composer}, issue 13): the crop ({@code cover}: fill and
 *       crop where the gravity says, {@link SmartCrop} for {@code smart}; {@code fit}: inside the box, never
 *       upscaled), a Lanczos-3 downscale ({@link Resampler} as Thumbnailator's resizer), the EXIF orientation, the
 *       embedded profile to sRGB, {@code grayscale} and {@code blur} ({@link Filters}), then either a PNG with alpha
 *       (profile asks for PNG and the source has transparency) or a JPEG with transparency flattened onto
 *       {@code IMAGE_BACKGROUND}. Output carries no EXIF/GPS/XMP and is a pure function of (source bytes, spec,
 *       codec: libjpeg-turbo or ImageIO).</li>
 * </ol>
 * The whole render has a deadline ({@code IMAGE_DEADLINE_MS}, {@link Deadline}), checked after each stage and while
 * ImageIO readers pull bytes (issue 8, finding 3).
 *
 * <p>Thread-safe. Nothing but {@link ImageRejectedException} escapes {@link #render} for any input, except an
 * {@link OutOfMemoryError}, which is transient and left to the caller.
 */
public final class ImageEngine {

    private static final Logger log = LoggerFactory.getLogger(ImageEngine.class);
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private final EngineSettings settings;
    private final Decoder decoder;
    private final Encoder encoder;
    private final String jpegDecoder;
    private final LongSupplier nanoClock;

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
        this.nanoClock = System::nanoTime;
        if (ANNOUNCED.add(jpegDecoder)) {
            log.info("JPEG decoder: {}", jpegDecoder);
        }
    }

    /**
     * For tests: {@code base}'s settings and encoder with another decoder and clock.
     *
     * @param base      the engine to copy
     * @param decoder   decodes admitted sources
     * @param nanoClock the time in nanoseconds the deadline is measured on, e.g. {@code System::nanoTime}
     */
    ImageEngine(ImageEngine base, Decoder decoder, LongSupplier nanoClock) {
        this.settings = base.settings;
        this.decoder = decoder;
        this.encoder = base.encoder;
        this.jpegDecoder = base.jpegDecoder;
        this.nanoClock = nanoClock;
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
     *                                or {@code MAX_IMAGE_PIXELS}; {@code deadline_exceeded} when the render
     *                                takes longer than {@code IMAGE_DEADLINE_MS}; {@code corrupt} when the
     *                                header is malformed or the data cannot be decoded (an unexpected RuntimeException is also logged
     *                                at WARN with its stack trace). No other exception escapes for any input.
     * @throws OutOfMemoryError       not caught: it says nothing about the image (only admission decides
     *                                {@code too_large}); the caller answers 5xx so the Broker retries (issue 8,
     *                                finding 7)
     */
    public List<Rendition> render(byte[] source, List<RenditionSpec> specs) throws ImageRejectedException {
        return render(source, specs, StageListener.NONE);
    }

    /**
     * The same, telling {@code stages} about each stage as it ends (issue 11): admit, decode, then resize and
     * encode per rendition. A stage that throws is not reported.
     *
     * @param source the whole source object, in bytes
     * @param specs  the renditions to produce, at least one
     * @param stages told about each stage that ended
     * @return as {@link #render(byte[], List)}
     * @throws ImageRejectedException as {@link #render(byte[], List)}
     */
    public List<Rendition> render(byte[] source, List<RenditionSpec> specs, StageListener stages)
            throws ImageRejectedException {
        long start = nanoClock.getAsLong();
        SourceHeader header = Admission.admit(source, settings.limits());
        long admitted = nanoClock.getAsLong();
        String format = header.format().name().toLowerCase(java.util.Locale.ROOT);
        stages.ended(StageListener.Stage.ADMIT, null, start, admitted, header.width(), header.height(), format);
        Deadline deadline = new Deadline(nanoClock, start, settings.limits().deadlineMs(), header.format());
        try {
            Decoder.Decoded decoded = decoder.decode(source, header, need(header, specs), wantsPng(specs),
                    settings.background(), deadline);
            deadline.check("decoding");
            stages.ended(StageListener.Stage.DECODE, null, admitted, nanoClock.getAsLong(), decoded.pixels().width(),
                    decoded.pixels().height(), format);
            Composer composer = new Composer(header, decoded);
            List<Rendition> renditions = new ArrayList<>(specs.size());
            for (RenditionSpec spec : specs) {
                renditions.add(render(header, composer, spec, deadline, stages));
            }
            return renditions;
        } catch (RuntimeException e) {
            deadline.checkIfCause(e);
            // A decoder's exception on hostile data, or a bug of ours: either way the image fails as corrupt, and
            // the stack trace lets an operator tell which.
            log.warn("Decoding a {} image of {} bytes failed; recording it as corrupt", header.format(),
                    source.length, e);
            throw new ImageRejectedException(Reason.CORRUPT, "the " + header.format() + " image cannot be decoded ("
                    + e + ")", e);
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

    private Rendition render(SourceHeader header, Composer composer, RenditionSpec spec, Deadline deadline,
                             StageListener stages) throws ImageRejectedException {
        long start = nanoClock.getAsLong();
        Pixels out = composer.compose(spec, Geometry.of(header, spec));
        deadline.check("resizing " + spec.name());
        long resized = nanoClock.getAsLong();
        stages.ended(StageListener.Stage.RESIZE, spec.name(), start, resized, out.width(), out.height(), null);
        Rendition rendition;
        if (out.channels() == 4 && spec.format() == RenditionSpec.Format.PNG) {
            rendition = new Rendition(spec, out.width(), out.height(), "image/png", encoder.png(out));
        } else {
            out = out.flattened(settings.background());
            rendition = new Rendition(spec, out.width(), out.height(), "image/jpeg", encoder.jpeg(out, spec.quality()));
        }
        deadline.check("encoding " + spec.name());
        stages.ended(StageListener.Stage.ENCODE, spec.name(), resized, nanoClock.getAsLong(), rendition.width(),
                rendition.height(), rendition.contentType());
        return rendition;
    }

    /**
     * How much of the source a rendition takes and how big it is, in stored (pre-orientation) pixels; where a
     * cover crop sits is the {@link Composer}'s business (gravity).
     *
     * @param width        region width
     * @param height       region height
     * @param storedWidth  output width before orientation
     * @param storedHeight output height before orientation
     * @param scale        output size over source size
     */
    record Geometry(double width, double height, int storedWidth, int storedHeight, double scale) {

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
                return new Geometry(w, h, ow, oh, k);
            }
            double k = Math.max(boxW / w, boxH / h);
            double cw = Math.min(w, boxW / k);
            double ch = Math.min(h, boxH / k);
            return new Geometry(cw, ch, boxW, boxH, k);
        }
    }
}
