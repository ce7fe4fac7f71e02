package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine on images the test makes itself, with each JPEG decoder ({@link Engines#both()}): always runs. */
class ImageEngineTest {

    private static final RenditionSpec THUMB = new RenditionSpec("thumb", 100, 100, RenditionSpec.Mode.COVER, 80);
    private static final RenditionSpec FIT = new RenditionSpec("fit", 100, 100, RenditionSpec.Mode.FIT, 80);
    private static final RenditionSpec FIT_PNG = new RenditionSpec("fit", 100, 100, RenditionSpec.Mode.FIT, 80,
            RenditionSpec.Format.PNG);

    private static Rendition one(ImageEngine engine, byte[] source, RenditionSpec spec) throws ImageRejectedException {
        return engine.render(source, List.of(spec)).get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void coverFillsTheBoxExactly(String name, ImageEngine engine) throws Exception {
        Rendition r = one(Engines.require(name, engine), TestImages.encoded(400, 300, BufferedImage.TYPE_INT_RGB,
                "jpeg"), THUMB);

        BufferedImage decoded = TestImages.decode(r.bytes());
        assertThat(decoded.getWidth()).isEqualTo(100).isEqualTo(r.width());
        assertThat(decoded.getHeight()).isEqualTo(100).isEqualTo(r.height());
        assertThat(r.contentType()).isEqualTo("image/jpeg");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void coverCropsTheCentre(String name, ImageEngine engine) throws Exception {
        // 300x100: red | green | blue thirds; the centred 100x100 crop is all green.
        BufferedImage image = new BufferedImage(300, 100, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 3; i++) {
            java.awt.Graphics2D g = image.createGraphics();
            g.setColor(new Color[] {Color.RED, Color.GREEN, Color.BLUE}[i]);
            g.fillRect(i * 100, 0, 100, 100);
            g.dispose();
        }
        BufferedImage out = TestImages.decode(one(Engines.require(name, engine), TestImages.write(image, "jpeg"),
                new RenditionSpec("sq", 50, 50, RenditionSpec.Mode.COVER, 90)).bytes());

        assertThat(TestImages.rgb(out, 25, 25)[1]).isGreaterThan(200);
        assertThat(TestImages.rgb(out, 25, 25)[0]).isLessThan(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void fitKeepsTheAspectRatioAndNeverUpscales(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        Rendition big = one(e, TestImages.encoded(400, 300, BufferedImage.TYPE_INT_RGB, "jpeg"), FIT);
        Rendition small = one(e, TestImages.encoded(50, 40, BufferedImage.TYPE_INT_RGB, "jpeg"), FIT);

        assertThat(List.of(big.width(), big.height())).containsExactly(100, 75);
        assertThat(List.of(small.width(), small.height())).containsExactly(50, 40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void theSameInputGivesTheSameBytes(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        byte[] source = TestImages.encoded(640, 480, BufferedImage.TYPE_INT_RGB, "jpeg");

        assertThat(one(e, source, THUMB).bytes()).isEqualTo(one(e, source, THUMB).bytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void producesEveryRenditionFromOneSource(String name, ImageEngine engine) throws Exception {
        List<Rendition> renditions = Engines.require(name, engine).render(
                TestImages.encoded(800, 600, BufferedImage.TYPE_INT_RGB, "jpeg"),
                RenditionSpec.parseList("thumb:100x100,small:320x320:fit:85"));

        assertThat(renditions).extracting(r -> r.spec().name()).containsExactly("thumb", "small");
        assertThat(List.of(renditions.get(1).width(), renditions.get(1).height())).containsExactly(320, 240);
    }

    /** Stored 240x120 quadrants red|green / blue|yellow; what each EXIF orientation must show at each corner. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void everyExifOrientationIsApplied(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        byte[] stored = TestImages.write(TestImages.quadrants(240, 120), "jpeg");
        // top-left, top-right, bottom-left, bottom-right, per orientation 1..8 (Exif 2.32, tag 0x0112)
        String[] expected = {"RGBY", "GRYB", "YBGR", "BYRG", "RBGY", "BRYG", "YGBR", "GYRB"};
        for (int orientation = 1; orientation <= 8; orientation++) {
            Rendition r = one(e, TestImages.withSegment(stored, 0xE1, TestImages.exif(orientation)), FIT);
            BufferedImage out = TestImages.decode(r.bytes());
            assertThat(List.of(out.getWidth(), out.getHeight())).as("orientation %d size", orientation)
                    .isEqualTo(orientation >= 5 ? List.of(50, 100) : List.of(100, 50));
            int w = out.getWidth();
            int h = out.getHeight();
            String corners = "" + colour(out, w / 4, h / 4) + colour(out, 3 * w / 4, h / 4)
                    + colour(out, w / 4, 3 * h / 4) + colour(out, 3 * w / 4, 3 * h / 4);
            assertThat(corners).as("orientation %d corners", orientation).isEqualTo(expected[orientation - 1]);
        }
    }

    private static char colour(BufferedImage image, int x, int y) {
        int[] c = TestImages.rgb(image, x, y);
        return c[0] > 128 && c[1] > 128 ? 'Y' : c[0] > 128 ? 'R' : c[1] > 128 ? 'G' : 'B';
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void outputCarriesNoExifOrGps(String name, ImageEngine engine) throws Exception {
        byte[] source = TestImages.withSegment(TestImages.encoded(300, 200, BufferedImage.TYPE_INT_RGB, "jpeg"), 0xE1,
                TestImages.exif(1));

        byte[] out = one(Engines.require(name, engine), source, THUMB).bytes();

        String latin1 = new String(out, StandardCharsets.ISO_8859_1);
        assertThat(latin1).doesNotContain("Exif").doesNotContain("ACM").doesNotContain("http://ns.adobe.com/xap");
        for (int i = 0; i + 1 < out.length && !(out[i] == (byte) 0xFF && out[i + 1] == (byte) 0xDA); i++) {
            assertThat(out[i] == (byte) 0xFF && out[i + 1] == (byte) 0xE1).as("APP1 at %d", i).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aTruncatedJpegFailsAsCorruptInsteadOfGreyFilling(String name, ImageEngine engine) {
        byte[] whole = TestImages.encoded(800, 600, BufferedImage.TYPE_INT_RGB, "jpeg");
        byte[] half = Arrays.copyOf(whole, whole.length / 2);

        assertRejected(Engines.require(name, engine), half, Reason.CORRUPT, "truncated");
    }

    /** Mid grey 128 in a linear-light RGB profile is sRGB ~188: the profile must be honoured, not ignored. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void anEmbeddedNonSrgbProfileIsConvertedToSrgb(String name, ImageEngine engine) throws Exception {
        byte[] grey = TestImages.write(TestImages.flat(200, 200, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128)),
                "jpeg");
        byte[] tagged = TestImages.withSegment(grey, 0xE2,
                TestImages.iccChunk(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData()));

        BufferedImage untaggedOut = TestImages.decode(one(Engines.require(name, engine), grey, THUMB).bytes());
        BufferedImage taggedOut = TestImages.decode(one(engine, tagged, THUMB).bytes());

        assertThat(TestImages.rgb(untaggedOut, 50, 50)[1]).isBetween(124, 132);
        assertThat(TestImages.rgb(taggedOut, 50, 50)[1]).isBetween(180, 196);
    }

    /**
     * The JDK's PNG reader parses an {@code iCCP} profile but never applies it: mid grey 128 in linear-light RGB must
     * come out as sRGB ~188, in JPEG and in PNG-with-alpha renditions, with alpha kept.
     */
    @Test
    void aPngsEmbeddedNonSrgbProfileIsConvertedToSrgb() throws Exception {
        byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        byte[] opaque = TestImages.write(TestImages.flat(200, 200, BufferedImage.TYPE_INT_RGB,
                new Color(128, 128, 128)), "png");
        BufferedImage translucent = TestImages.flat(200, 200, BufferedImage.TYPE_INT_ARGB,
                new Color(128, 128, 128, 255));
        translucent.setRGB(0, 0, 0); // one transparent pixel, so the source has alpha
        byte[] withAlpha = TestImages.write(translucent, "png");

        assertThat(TestImages.rgb(TestImages.decode(one(Engines.FALLBACK, opaque, THUMB).bytes()), 50, 50)[1])
                .as("untagged").isBetween(124, 132);
        assertThat(TestImages.rgb(TestImages.decode(one(Engines.FALLBACK, TestImages.withIccp(opaque, linear), THUMB)
                .bytes()), 50, 50)[1]).as("tagged, JPEG out").isBetween(180, 196);
        Rendition tagged = one(Engines.FALLBACK, TestImages.withIccp(withAlpha, linear), FIT_PNG);
        assertThat(tagged.contentType()).isEqualTo("image/png");
        BufferedImage out = TestImages.decode(tagged.bytes());
        assertThat(TestImages.rgb(out, 50, 50)[1]).as("tagged, PNG out").isBetween(180, 196);
        assertThat(out.getRGB(50, 50) >>> 24).as("alpha kept").isEqualTo(255);
    }

    /** Plain and Adobe-inverted CMYK give the same picture; an embedded CMYK profile is used when present. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void cmykJpegsAreConvertedWithOrWithoutTheirProfile(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        byte[] plain = TestImages.cmykJpeg(200, 200, false);
        byte[] adobe = TestImages.cmykJpeg(200, 200, true);
        byte[] profiled = TestImages.withSegment(plain, 0xE2, TestImages.iccChunk(TestImages.inkIsRedCmykProfile()));

        for (byte[] naive : List.of(plain, adobe)) {
            BufferedImage out = TestImages.decode(one(e, naive, FIT).bytes());
            assertThat(darkest(out, 50, 20)).as("no ink").isGreaterThan(240);
            assertThat(TestImages.rgb(out, 50, 80)).as("cyan").satisfies(c -> {
                assertThat(c[0]).isLessThan(30);
                assertThat(c[1]).isGreaterThan(220);
                assertThat(c[2]).isGreaterThan(220);
            });
        }
        BufferedImage out = TestImages.decode(one(e, profiled, FIT).bytes());
        assertThat(darkest(out, 50, 20)).as("no ink through the profile").isGreaterThan(235);
        assertThat(TestImages.rgb(out, 50, 80)).as("ink through the profile: red").satisfies(c -> {
            assertThat(c[0]).isGreaterThan(200);
            assertThat(c[1]).isLessThan(40);
            assertThat(c[2]).isLessThan(40);
        });
    }

    /** A profile that parses but that LittleCMS cannot convert from is ignored, as browsers do, not a failure. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aProfileThatCannotBeConvertedIsIgnored(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        byte[] grey = TestImages.write(TestImages.flat(200, 200, BufferedImage.TYPE_INT_RGB, new Color(128, 128, 128)),
                "jpeg");
        byte[] rgb = TestImages.withSegment(grey, 0xE2, TestImages.iccChunk(TestImages.tagless("RGB ")));
        byte[] cmyk = TestImages.withSegment(TestImages.cmykJpeg(200, 200, false), 0xE2,
                TestImages.iccChunk(TestImages.tagless("CMYK")));

        assertThat(TestImages.rgb(TestImages.decode(one(e, rgb, THUMB).bytes()), 50, 50)[1]).isBetween(124, 132);
        BufferedImage out = TestImages.decode(one(e, cmyk, FIT).bytes());
        assertThat(darkest(out, 50, 20)).as("no ink, naive conversion").isGreaterThan(240);
        assertThat(TestImages.rgb(out, 50, 80)[0]).as("cyan, naive conversion").isLessThan(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void transparencyIsFlattenedOntoTheConfiguredBackgroundNeverBlack(String name, ImageEngine engine)
            throws Exception {
        byte[] transparent = TestImages.write(new BufferedImage(300, 300, BufferedImage.TYPE_INT_ARGB), "png");
        ImageEngine white = Engines.require(name, engine);
        ImageEngine red = Engines.with(new EngineSettings(Engines.DEFAULT_LIMITS, 0xFF0000,
                EngineSettings.DEFAULT_JAR, EngineSettings.defaultLibrary()), engine);

        assertThat(darkest(TestImages.decode(one(white, transparent, THUMB).bytes()), 50, 50)).isGreaterThan(245);
        int[] onRed = TestImages.rgb(TestImages.decode(one(red, transparent, THUMB).bytes()), 50, 50);
        assertThat(onRed[0]).isGreaterThan(245);
        assertThat(onRed[1]).isLessThan(10);
    }

    @Test
    void aPngProfileKeepsAlphaOnlyForTransparentSources() throws Exception {
        BufferedImage half = new BufferedImage(200, 200, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = half.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 100, 200);
        g.dispose();

        Rendition withAlpha = one(Engines.FALLBACK, TestImages.write(half, "png"), FIT_PNG);
        Rendition opaque = one(Engines.FALLBACK, TestImages.encoded(200, 200, BufferedImage.TYPE_INT_RGB, "png"),
                FIT_PNG);

        assertThat(withAlpha.contentType()).isEqualTo("image/png");
        BufferedImage png = TestImages.decode(withAlpha.bytes());
        assertThat(png.getColorModel().hasAlpha()).isTrue();
        assertThat(png.getRGB(90, 50) >>> 24).isZero();
        assertThat(png.getRGB(10, 50)).isEqualTo(0xFF0000FF);
        assertThat(opaque.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void aPaletteWithATransparentIndexIsFlattenedOntoWhite() throws Exception {
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {0, (byte) 255}, new byte[] {0, 0},
                new byte[] {0, 0}, 0);
        BufferedImage image = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_INDEXED, palette);
        image.getRaster().setSample(10, 10, 0, 1);

        BufferedImage out = TestImages.decode(one(Engines.FALLBACK, TestImages.write(image, "png"), THUMB).bytes());

        assertThat(darkest(out, 60, 60)).isGreaterThan(245);
    }

    /** The JDK's grey colour space is linear; reading 16-bit grey through it would brighten 50% grey to ~188. */
    @Test
    void sixteenBitGreyKeepsItsTone() throws Exception {
        BufferedImage grey = new BufferedImage(120, 120, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 120; x++) {
                grey.getRaster().setSample(x, y, 0, 0x8080);
            }
        }

        BufferedImage out = TestImages.decode(one(Engines.FALLBACK, TestImages.write(grey, "png"), THUMB).bytes());

        assertThat(TestImages.rgb(out, 50, 50)[0]).isBetween(125, 131);
    }

    @Test
    void anAnimatedGifGivesItsFirstFrame() throws Exception {
        byte[] gif = TestImages.gif(TestImages.flat(120, 120, BufferedImage.TYPE_INT_RGB, Color.RED),
                TestImages.flat(120, 120, BufferedImage.TYPE_INT_RGB, Color.BLUE));

        BufferedImage out = TestImages.decode(one(Engines.FALLBACK, gif, THUMB).bytes());

        assertThat(SourceHeader.read(gif).frames()).isEqualTo(2);
        assertThat(TestImages.rgb(out, 50, 50)[0]).isGreaterThan(230);
        assertThat(TestImages.rgb(out, 50, 50)[2]).isLessThan(30);
    }

    @Test
    void anEmptyObjectIsNotAnImage() {
        assertRejected(Engines.FALLBACK, new byte[0], Reason.UNSUPPORTED_FORMAT, "empty");
    }

    @Test
    void textIsNotAnImage() {
        assertRejected(Engines.FALLBACK, "hello, world".getBytes(StandardCharsets.UTF_8), Reason.UNSUPPORTED_FORMAT,
                "starts with bytes 68656c6c");
    }

    @Test
    void aJpegHeaderCutShortIsCorrupt() {
        byte[] jpeg = TestImages.encoded(100, 100, BufferedImage.TYPE_INT_RGB, "jpeg");

        assertRejected(Engines.FALLBACK, Arrays.copyOf(jpeg, 30), Reason.CORRUPT, "JPEG");
    }

    @Test
    void rejectsTooManyBytesBeforeDecoding() {
        ImageEngine small = new ImageEngine(EngineSettings.defaults(new ImageLimits(1000, 50_000_000L)));
        byte[] source = TestImages.encoded(400, 300, BufferedImage.TYPE_INT_RGB, "png");

        assertRejected(small, source, Reason.TOO_LARGE, "MAX_IMAGE_BYTES allows 1000");
    }

    @Test
    void rejectsTooManyPixelsFromTheHeader() {
        ImageEngine small = new ImageEngine(EngineSettings.defaults(new ImageLimits(50_000_000L, 10_000)));

        assertRejected(small, TestImages.encoded(200, 100, BufferedImage.TYPE_INT_RGB, "jpeg"), Reason.TOO_LARGE,
                "the image is 200x100 = 20000 pixels; MAX_IMAGE_PIXELS allows 10000");
    }

    /**
     * Decoders allocate an animation's first frame at its own size, so a 1x1 canvas must not smuggle in a frame
     * the pixel limit would refuse (reviewer: a 796-byte GIF allocated 408 MB). The small limit keeps this test's
     * allocation small were the check missing.
     */
    @Test
    void aFrameThatDoesNotFitOnItsCanvasIsRejectedBeforeDecoding() {
        ImageEngine small = new ImageEngine(EngineSettings.defaults(new ImageLimits(50_000_000L, 10_000)), false);

        assertRejected(small, TestImages.gifFrame(1, 1, 0, 0, 300, 300), Reason.CORRUPT,
                "the GIF frame of 300x300 pixels at (0, 0) does not fit on its 1x1 canvas");
        assertRejected(small, TestImages.gifFrame(10, 10, 5, 0, 10, 10), Reason.CORRUPT,
                "the GIF frame of 10x10 pixels at (5, 0) does not fit on its 10x10 canvas");
        assertRejected(small, TestImages.webp(TestImages.vp8x(1, 1, true),
                        TestImages.anmf(300, 300, TestImages.vp8l(1, 1))), Reason.CORRUPT,
                "the WEBP frame of 300x300 pixels at (0, 0) does not fit on its 1x1 canvas");
        assertRejected(small, TestImages.webp(TestImages.vp8x(1, 1, true),
                        TestImages.anmf(1, 1, TestImages.vp8l(300, 300))), Reason.CORRUPT,
                "the WEBP frame of 300x300 pixels at (0, 0) does not fit on its 1x1 canvas");
        assertRejected(small, TestImages.webp(TestImages.vp8x(1, 1, false), TestImages.vp8l(300, 300)),
                Reason.CORRUPT, "the WEBP frame of 300x300 pixels at (0, 0) does not fit on its 1x1 canvas");
    }

    /** A still WebP's canvas comes from VP8X when present, else from the bitstream; both still pass admission. */
    @Test
    void aWebpBitstreamThatFitsItsCanvasIsAdmitted() throws Exception {
        assertThat(SourceHeader.read(TestImages.webp(TestImages.vp8x(40, 30, false), TestImages.vp8l(40, 30))))
                .satisfies(h -> assertThat(List.of(h.width(), h.height(), h.frames())).containsExactly(40, 30, 1));
        assertThat(SourceHeader.read(TestImages.webp(TestImages.vp8l(40, 30))))
                .satisfies(h -> assertThat(List.of(h.width(), h.height())).containsExactly(40, 30));
    }

    /** Math.abs(Integer.MIN_VALUE) stays negative: a BMP declaring it must not pass the pixel limit as negative. */
    @Test
    void aBmpWithANegativePixelCountIsCorrupt() {
        byte[] bmp = new byte[54];
        bmp[0] = 'B';
        bmp[1] = 'M';
        System.arraycopy(TestImages.le(Integer.MIN_VALUE, 4), 0, bmp, 18, 4);
        System.arraycopy(TestImages.le(1, 4), 0, bmp, 22, 4);

        assertRejected(Engines.FALLBACK, bmp, Reason.CORRUPT, "the BMP header declares -2147483648x1 pixels");
    }

    /** @return the smallest of red, green and blue at (x, y) */
    static int darkest(BufferedImage image, int x, int y) {
        return Arrays.stream(TestImages.rgb(image, x, y)).min().getAsInt();
    }

    static void assertRejected(ImageEngine engine, byte[] source, Reason reason, String messagePart) {
        assertThatThrownBy(() -> engine.render(source, List.of(THUMB)))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
