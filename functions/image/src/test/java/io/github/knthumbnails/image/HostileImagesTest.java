package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8, findings 2, 3 and 7: no decoder is handed bytes whose decoded size was not admitted; CPU bombs are
 * refused before decoding and a render past its deadline fails; an OutOfMemoryError is not turned into a verdict.
 * Every hostile file is made here. Small limits keep the allocation small should a check be missing.
 */
class HostileImagesTest {

    private static final RenditionSpec THUMB = new RenditionSpec("thumb", 100, 100, RenditionSpec.Mode.COVER, 80);
    private static final ImageLimits SMALL = new ImageLimits(50L << 20, 10_000);

    private static ImageEngine small(ImageEngine like) {
        return Engines.with(EngineSettings.defaults(SMALL), like);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aBmpEmbeddingAJpegIsRefusedWhateverItsHeaderDeclares(String name, ImageEngine engine) {
        ImageEngine e = small(Engines.require(name, engine));
        // 16x16 = 256 pixels declared; the embedded JPEG is 200x200 = 40000, four times the limit.
        byte[] bmp = HostileImages.bmpEmbedding(16, 16, BmpHeader.BI_JPEG,
                TestImages.encoded(200, 200, BufferedImage.TYPE_INT_RGB, "jpeg"));

        ImageEngineTest.assertRejected(e, bmp, Reason.UNSUPPORTED_FORMAT, "the BMP embeds a JPEG (BI_JPEG) stream");
        ImageEngineTest.assertRejected(Engines.FALLBACK, HostileImages.bmpEmbedding(16, 16, BmpHeader.BI_JPEG,
                HostileImages.jpegClaiming(40000, 40000)), Reason.UNSUPPORTED_FORMAT, "BI_JPEG");
    }

    @Test
    void aBmpEmbeddingAPngIsRefused() {
        byte[] bmp = HostileImages.bmpEmbedding(16, 16, BmpHeader.BI_PNG,
                TestImages.encoded(200, 200, BufferedImage.TYPE_INT_RGB, "png"));

        ImageEngineTest.assertRejected(small(Engines.FALLBACK), bmp, Reason.UNSUPPORTED_FORMAT,
                "the BMP embeds a PNG (BI_PNG) stream");
    }

    @Test
    void aPlainBmpStillRenders() throws Exception {
        byte[] bmp = TestImages.encoded(90, 60, BufferedImage.TYPE_INT_RGB, "bmp");

        assertThat(Engines.FALLBACK.render(bmp, List.of(THUMB)).get(0).width()).isEqualTo(100);
    }

    /** The 146-byte TIFF of finding 2 declared 16x16 with one 8192x8192 tile and allocated 64 MB. */
    @Test
    void aTiffTileLargerThanTheLimitIsRefusedBeforeDecoding() {
        ImageEngineTest.assertRejected(Engines.FALLBACK, HostileImages.tiffWithOneTile(16, 16, 8192),
                Reason.TOO_LARGE, "the image is 16x16, coded as 67108864 pixels; MAX_IMAGE_PIXELS allows 50000000");
        ImageEngineTest.assertRejected(small(Engines.FALLBACK), HostileImages.tiffWithOneTile(16, 16, 256),
                Reason.TOO_LARGE, "coded as 65536 pixels");
    }

    /** Finding 12: the JDK's reader holds a whole strip, decompressed, on the heap, whatever it subsamples. */
    @Test
    void aTiffStripOver64MiBIsRefusedBeforeDecoding() {
        // 6000x4000 RGB = 24 MP, within the pixel limit; one strip of 72 MB
        byte[] tiff = HostileImages.tiff(Map.of(256, new long[] {6000}, 257, new long[] {4000},
                258, new long[] {8, 8, 8}, 259, new long[] {8}, 262, new long[] {2}, 277, new long[] {3},
                278, new long[] {4000}, 273, new long[] {-1}, 279, new long[] {16}), new byte[16]);

        ImageEngineTest.assertRejected(Engines.FALLBACK, tiff, Reason.TOO_LARGE,
                "the TIFF's strips are 6000x4000 pixels, 72000000 bytes each; at most 67108864 bytes (64 MiB)");
    }

    /** The last strip holds only the rows left, so strips that do not divide the height cost no more pixels. */
    @Test
    void aTiffWhoseStripsDoNotDivideItsHeightIsAdmittedAtItsOwnSize() throws Exception {
        byte[] strip = new byte[16]; // PackBits: 8 runs of 128 zeros = 1024 bytes = 16 rows of 64
        for (int i = 0; i < strip.length; i += 2) {
            strip[i] = -127;
        }
        byte[] tiff = HostileImages.tiff(Map.of(256, new long[] {64}, 257, new long[] {60}, 258, new long[] {8},
                259, new long[] {32773}, 262, new long[] {1}, 277, new long[] {1}, 278, new long[] {16},
                273, new long[] {-1, -1, -1, -1}, 279, new long[] {16, 16, 16, 16}), strip);
        ImageEngine exact = Engines.with(EngineSettings.defaults(new ImageLimits(50L << 20, 64 * 60)),
                Engines.FALLBACK);

        assertThat(exact.render(tiff, List.of(THUMB))).hasSize(1);
    }

    @Test
    void aTiffWithinItsLimitsStillRenders() throws Exception {
        assertThat(small(Engines.FALLBACK).render(HostileImages.tiffWithOneTile(64, 64, 64), List.of(THUMB)))
                .hasSize(1);
        byte[] tiff = TestImages.encoded(90, 60, BufferedImage.TYPE_INT_RGB, "tiff");
        assertThat(Engines.FALLBACK.render(tiff, List.of(THUMB)).get(0).height()).isEqualTo(100);
    }

    @Test
    void aJpegCompressedTiffIsRefused() {
        byte[] tiff = HostileImages.jpegTiff(16, 16, TestImages.encoded(200, 200, BufferedImage.TYPE_INT_RGB,
                "jpeg"));

        ImageEngineTest.assertRejected(small(Engines.FALLBACK), tiff, Reason.UNSUPPORTED_FORMAT,
                "the TIFF is JPEG-compressed (compression 7)");
    }

    @Test
    void aTiffMissingItsStripsOrWithValuesOutsideTheFileIsCorrupt() {
        byte[] missing = HostileImages.tiff(Map.of(256, new long[] {16}, 257, new long[] {16}, 278, new long[] {1},
                273, new long[] {-1}, 279, new long[] {1}), new byte[16]);
        ImageEngineTest.assertRejected(Engines.FALLBACK, missing, Reason.CORRUPT,
                "its geometry needs 16 strips but it has 1 offsets and 1 byte counts");

        byte[] outside = HostileImages.tiff(Map.of(256, new long[] {16}, 257, new long[] {16}), new byte[0]);
        outside[8 + 2 + 12 + 4] = 0x10; // width's count: 0x10 LONGs, which lie past the end
        ImageEngineTest.assertRejected(Engines.FALLBACK, outside, Reason.CORRUPT, "lies outside the file");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aJpegWithMoreScansThanTheLimitIsRefusedBeforeDecoding(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        byte[] progressive = HostileImages.progressiveJpeg(64, 64);
        int perCopy = JpegHeader.scans(progressive, 0);
        byte[] bomb = HostileImages.withScansRepeated(progressive, Admission.MAX_SCANS / perCopy + 1);

        ImageEngineTest.assertRejected(e, bomb, Reason.TOO_LARGE, "scans; at most 500 are decoded");
        assertThat(e.render(HostileImages.withScansRepeated(progressive, 3), List.of(THUMB))).hasSize(1);
    }

    /** libjpeg-turbo's own limit, behind admission's: TJFLAG_LIMITSCANS. */
    @Test
    void libjpegTurboStopsAfter500Scans() {
        TurboJpeg turbo = turbo();
        byte[] progressive = HostileImages.progressiveJpeg(64, 64);
        byte[] bomb = HostileImages.withScansRepeated(progressive, 600 / JpegHeader.scans(progressive, 0) + 1);

        assertThatThrownBy(() -> turbo.decode(bomb, new int[] {8, 8}, TurboJpeg.PF_RGB, 3))
                .isInstanceOf(TurboJpeg.DecodeException.class).hasMessageContaining("500 scans");
    }

    private static TurboJpeg turbo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Engines.NATIVE.jpegDecoder().startsWith("libjpeg-turbo"),
                "libjpeg-turbo is not installed");
        EngineSettings d = EngineSettings.defaults(Engines.DEFAULT_LIMITS);
        return TurboJpeg.load(d.turboJpegJar(), d.turboJpegLibrary());
    }

    /** Finding 12: libjpeg keeps 2 bytes per coefficient of a progressive JPEG, 6 bytes per pixel at 4:4:4. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aProgressiveJpegWhoseCoefficientsPassTheBudgetIsRefused(String name, ImageEngine engine) throws Exception {
        ImageEngine e = small(Engines.require(name, engine));
        byte[] progressive = HostileImages.progressiveJpeg(90, 90); // 8100 pixels, within 10000

        // 4:2:0: 216 blocks of 128 bytes = 27648 bytes, within 3.2 x 10000
        assertThat(e.render(progressive, List.of(THUMB))).hasSize(1);
        // 4:4:4: 3 x 144 blocks = 55296 bytes
        ImageEngineTest.assertRejected(e, HostileImages.sampledAs444(progressive), Reason.TOO_LARGE,
                "needs 55296 bytes at full resolution (the DCT coefficients of a progressive or multi-scan JPEG)");
    }

    /** Finding 12: TwelveMonkeys decodes a WebP at full size, 4 bytes per pixel, whatever the subsampling. */
    @Test
    void aWebpWhoseFullSizeRasterPassesTheBudgetIsRefused() throws Exception {
        ImageEngine e = small(Engines.FALLBACK);

        // 80x90 passes admission; its data then ends at once (corrupt), which is not this test's business
        assertThatThrownBy(() -> e.render(TestImages.webp(WorstCaseBench.vp8lFlat(80, 90)), List.of(THUMB)))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        r -> assertThat(r.reason()).isEqualTo(Reason.CORRUPT));
        ImageEngineTest.assertRejected(e, TestImages.webp(WorstCaseBench.vp8lFlat(100, 100)), Reason.TOO_LARGE,
                "needs 40000 bytes at full resolution (the WebP decoder's full-size raster); 3.2 bytes x "
                        + "MAX_IMAGE_PIXELS");
    }

    @Test
    void aRenderPastItsDeadlineFailsAsTooLarge() {
        AtomicLong now = new AtomicLong();
        ImageEngine base = Engines.with(EngineSettings.defaults(new ImageLimits(50L << 20, 50_000_000L, 1000)),
                Engines.FALLBACK);
        ImageEngine slow = new ImageEngine(base, new Decoder(null) {
            @Override
            Decoded decode(byte[] source, SourceHeader header, double need, boolean keepAlpha, int background,
                           Deadline deadline) throws ImageRejectedException {
                Decoded decoded = super.decode(source, header, need, keepAlpha, background, null);
                now.addAndGet(1_001_000_000L); // the decode "took" 1001 ms
                return decoded;
            }
        }, now::get);

        ImageEngineTest.assertRejected(slow, TestImages.encoded(64, 64, BufferedImage.TYPE_INT_RGB, "png"),
                Reason.DEADLINE_EXCEEDED, "the PNG image took longer than 1000 ms (IMAGE_DEADLINE_MS): 1001 ms by the end of"
                        + " decoding");
    }

    /** A pure-Java decoder stops mid-image once the deadline passes: its reads fail ({@link SourceStream}). */
    @Test
    void aDecoderStopsMidImageWhenTheDeadlinePasses() {
        AtomicLong calls = new AtomicLong();
        // The render starts at 0; every later reading of the clock says an hour has passed.
        ImageEngine late = new ImageEngine(Engines.FALLBACK, new Decoder(null),
                () -> calls.getAndIncrement() == 0 ? 0 : 3_600_000_000_000L);
        byte[] bmp = TestImages.encoded(16, 3 * 1024, BufferedImage.TYPE_INT_RGB, "bmp"); // read a row at a time

        ImageEngineTest.assertRejected(late, bmp, Reason.DEADLINE_EXCEEDED,
                "took longer than 20000 ms (IMAGE_DEADLINE_MS): 3600000 ms by the end of decoding (stopped mid-image)");
    }

    /**
     * A 38-byte lossless WebP whose data ends at once: TwelveMonkeys' bit reader swallows each EOFException and
     * reads on, one exception per pixel (50 MP: minutes). Admission passes it (the dimensions are within limits), so
     * the stream must stop it. 1 MP here keeps the run short were the bound missing.
     */
    @Test
    void aLosslessWebpWhoseDataEndsEarlyIsCorruptNotACpuBomb() {
        byte[] webp = TestImages.webp(WorstCaseBench.vp8lFlat(1000, 1000));

        ImageEngineTest.assertRejected(Engines.FALLBACK, webp, Reason.CORRUPT,
                "read past the end of the data 4096 times");
    }

    /** An embedded ICC profile is parsed by LittleCMS: a JPEG's, like a PNG's, is ignored over 4 MiB. */
    @Test
    void aJpegIccProfileOverTheCapIsIgnored() throws Exception {
        byte[] jpeg = TestImages.encoded(16, 16, BufferedImage.TYPE_INT_RGB, "jpeg");
        byte[] chunk = TestImages.iccChunk(new byte[65_000]);
        byte[] small = TestImages.withSegment(jpeg, 0xE2, chunk);
        byte[] big = jpeg;
        for (int i = 0; i < 66; i++) { // 66 x 65000 bytes = 4.09 MiB
            big = TestImages.withSegment(big, 0xE2, chunk);
        }

        assertThat(SourceHeader.read(small).jpeg().iccProfile()).hasSize(65_000);
        assertThat(SourceHeader.read(big).jpeg().iccProfile()).isNull();
    }

    /** Finding 7: running out of memory says nothing about the image; the caller answers 5xx and is retried. */
    @Test
    void anOutOfMemoryErrorIsNotAVerdictOnTheImage() {
        ImageEngine starved = new ImageEngine(Engines.FALLBACK, new Decoder(null) {
            @Override
            Decoded decode(byte[] source, SourceHeader header, double need, boolean keepAlpha, int background,
                           Deadline deadline) {
                throw new OutOfMemoryError("Java heap space (simulated)");
            }
        }, System::nanoTime);

        assertThatThrownBy(() -> starved.render(TestImages.encoded(64, 64, BufferedImage.TYPE_INT_RGB, "png"),
                List.of(THUMB))).isInstanceOf(OutOfMemoryError.class).hasMessageContaining("simulated");
    }
}
