package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.knthumbnails.testsupport.SharedTestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine on the real photos and hostile files of {@code ../shared/testdata}, with each JPEG decoder. */
class SharedCorpusTest {

    private static final RenditionSpec THUMB = new RenditionSpec("thumb", 100, 100, RenditionSpec.Mode.COVER, 80);
    private static final RenditionSpec FIT = new RenditionSpec("fit", 100, 100, RenditionSpec.Mode.FIT, 80);
    private static final RenditionSpec FIT_PNG = new RenditionSpec("fit", 100, 100, RenditionSpec.Mode.FIT, 80,
            RenditionSpec.Format.PNG);

    /** The outcome chosen for every file in edge/: "ok" or the error class recorded in the job. */
    static final Map<String, String> EDGE = new TreeMap<>(Map.ofEntries(
            Map.entry("alpha.webp", "ok"), Map.entry("animated.gif", "ok"), Map.entry("animated.webp", "ok"),
            Map.entry("arithmetic_coded.jpg", "ok"), Map.entry("cielab16.tiff", "unsupported_format"),
            Map.entry("cmyk_no_profile.jpg", "ok"), Map.entry("corrupt_header.jpg", "corrupt"),
            Map.entry("exif_Landscape_1.jpg", "ok"), Map.entry("exif_Landscape_2.jpg", "ok"),
            Map.entry("exif_Landscape_3.jpg", "ok"), Map.entry("exif_Landscape_4.jpg", "ok"),
            Map.entry("exif_Landscape_5.jpg", "ok"), Map.entry("exif_Landscape_6.jpg", "ok"),
            Map.entry("exif_Landscape_7.jpg", "ok"), Map.entry("exif_Landscape_8.jpg", "ok"),
            Map.entry("flat_gray_8mp_67-0_length_string.jpg", "ok"), Map.entry("gamma_dalai_lama_gray.jpg", "ok"),
            Map.entry("giant_20000x14000_gray.jpg", "too_large"), Map.entry("grayscale.jpg", "ok"),
            Map.entry("image.avif", "unsupported_format"), Map.entry("jpeg_12bit.jpg", "unsupported_format"),
            Map.entry("lossless_jpeg.jpg", "unsupported_format"), Map.entry("lossy.webp", "ok"),
            Map.entry("palette_png.png", "ok"), Map.entry("pdf_renamed.png", "unsupported_format"),
            Map.entry("png16_grey_alpha.png", "ok"), Map.entry("png16_rgb_flag.png", "ok"),
            Map.entry("progressive_20scans.jpg", "ok"), Map.entry("progressive_gray.jpg", "ok"),
            Map.entry("smooth_gradient_1080p_flowers.jpg", "ok"), Map.entry("truncated.jpg", "corrupt"),
            Map.entry("truncated.png", "corrupt")));

    private static byte[] read(String relative) throws IOException {
        return Files.readAllBytes(SharedTestData.require("testdata/" + relative));
    }

    private static BufferedImage thumb(ImageEngine engine, String relative, RenditionSpec spec) throws Exception {
        return TestImages.decode(engine.render(read(relative), List.of(spec)).get(0).bytes());
    }

    static Stream<Arguments> photos() throws IOException {
        return files("testdata/photos");
    }

    static Stream<Arguments> everyFile() throws IOException {
        return Stream.of("testdata/photos", "testdata/png", "testdata/edge").flatMap(dir -> {
            try {
                return files(dir);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Stream<Arguments> files(String dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> files = Files.list(SharedTestData.require(dir))) {
            paths = files.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        return paths.stream().flatMap(p -> Engines.both().map(e -> Arguments.of(p.getFileName().toString(),
                e.get()[0], e.get()[1], p)));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("photos")
    void everyRealPhotoBecomesA100x100Thumbnail(String file, String name, ImageEngine engine, Path photo)
            throws Exception {
        List<Rendition> out = Engines.require(name, engine).render(Files.readAllBytes(photo), List.of(THUMB, FIT));

        assertThat(List.of(out.get(0).width(), out.get(0).height())).containsExactly(100, 100);
        assertThat(Math.max(out.get(1).width(), out.get(1).height())).isEqualTo(100);
        assertThat(out.get(0).bytes()).isEqualTo(engine.render(Files.readAllBytes(photo), List.of(THUMB)).get(0)
                .bytes());
    }

    /** No exception but ImageRejectedException escapes, and every edge file gets the outcome in {@link #EDGE}. */
    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("everyFile")
    void everyFileRendersOrFailsWithAClass(String file, String name, ImageEngine engine, Path path) throws Exception {
        String outcome;
        try {
            Engines.require(name, engine).render(Files.readAllBytes(path), List.of(THUMB, FIT_PNG));
            outcome = "ok";
        } catch (ImageRejectedException e) {
            outcome = e.reason().errorClass();
            assertThat(e.getMessage()).isNotBlank();
        }
        if (path.getParent().getFileName().toString().equals("edge")) {
            assertThat(outcome).isEqualTo(EDGE.get(file));
        } else {
            assertThat(outcome).isEqualTo("ok");
        }
    }

    /** recurser/exif-orientation-examples: one picture stored in all 8 orientations. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void everyExifOrientationShowsTheSamePicture(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        BufferedImage upright = thumb(e, "edge/exif_Landscape_1.jpg", FIT);
        for (int orientation = 2; orientation <= 8; orientation++) {
            BufferedImage turned = thumb(e, "edge/exif_Landscape_" + orientation + ".jpg", FIT);

            assertThat(turned.getWidth()).as("orientation %d width", orientation).isEqualTo(upright.getWidth());
            assertThat(TestImages.meanAbsoluteDifference(upright, turned)).as("orientation %d", orientation)
                    .isLessThan(6.0);
        }
    }

    /** A YCCK (Adobe, inverted) JPEG without a profile: both decoders agree and the picture is not a negative. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aCmykJpegBecomesSrgb(String name, ImageEngine engine) throws Exception {
        BufferedImage out = thumb(Engines.require(name, engine), "edge/cmyk_no_profile.jpg", THUMB);
        BufferedImage reference = thumb(Engines.FALLBACK, "edge/cmyk_no_profile.jpg", THUMB);

        assertThat(TestImages.meanAbsoluteDifference(out, reference)).isLessThan(6.0);
        // The park scene: green lawn on the right, not its magenta negative.
        int[] grass = TestImages.rgb(out, 90, 55);
        assertThat(grass[1]).isGreaterThan(grass[0]).isGreaterThan(grass[2]);
    }

    /** corkami's 20-scan progressive JPEG and its PNG twin give the same thumbnail. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aProgressiveJpegMatchesItsLosslessTwin(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);

        assertThat(TestImages.meanAbsoluteDifference(thumb(e, "edge/progressive_20scans.jpg", THUMB),
                thumb(e, "png/corkami__20scans_std.png", THUMB))).isLessThan(4.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void aGreyJpegGivesAGreyJpeg(String name, ImageEngine engine) throws Exception {
        assertThat(thumb(Engines.require(name, engine), "edge/grayscale.jpg", THUMB).getType())
                .isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void the280MegapixelJpegRendersWhenTheLimitAllows(String name, ImageEngine engine) throws Exception {
        ImageEngine raised = Engines.with(EngineSettings.defaults(new ImageLimits(50L << 20, 300_000_000L)),
                Engines.require(name, engine));

        BufferedImage out = thumb(raised, "edge/giant_20000x14000_gray.jpg", THUMB);

        assertThat(List.of(out.getWidth(), out.getHeight())).containsExactly(100, 100);
        ImageEngineTest.assertRejected(engine, read("edge/giant_20000x14000_gray.jpg"),
                ImageRejectedException.Reason.TOO_LARGE, "20000x14000");
    }

    @org.junit.jupiter.api.Test
    void webpStillAlphaAndAnimatedAreRead() throws Exception {
        Rendition lossy = Engines.FALLBACK.render(read("edge/lossy.webp"), List.of(FIT)).get(0);
        Rendition alpha = Engines.FALLBACK.render(read("edge/alpha.webp"), List.of(FIT_PNG)).get(0);
        BufferedImage animatedWebp = thumb(Engines.FALLBACK, "edge/animated.webp", THUMB);
        BufferedImage animatedGif = thumb(Engines.FALLBACK, "edge/animated.gif", THUMB);

        assertThat(List.of(lossy.width(), lossy.height())).containsExactly(100, 75);
        assertThat(alpha.contentType()).isEqualTo("image/png");
        assertThat(TestImages.decode(alpha.bytes()).getRGB(0, 0) >>> 24).isLessThan(255);
        assertThat(SourceHeader.read(read("edge/animated.webp")).frames()).isGreaterThan(1);
        assertThat(SourceHeader.read(read("edge/animated.gif")).frames()).isGreaterThan(1);
        // The same animation in both formats: the first frames match.
        assertThat(TestImages.meanAbsoluteDifference(animatedWebp, animatedGif)).isLessThan(6.0);
    }

    @org.junit.jupiter.api.Test
    void transparentPngsAreFlattenedOntoWhite() throws Exception {
        // The Swiss flag's corners and the 16-bit grey+alpha pattern's background are transparent.
        assertThat(ImageEngineTest.darkest(thumb(Engines.FALLBACK, "edge/palette_png.png", FIT), 1, 1))
                .isGreaterThan(240);
        assertThat(ImageEngineTest.darkest(thumb(Engines.FALLBACK, "edge/png16_grey_alpha.png", FIT), 1, 1))
                .isGreaterThan(200);
    }
}
