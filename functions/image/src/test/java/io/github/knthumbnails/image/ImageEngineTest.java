package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import io.github.knthumbnails.testsupport.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImageEngineTest {

    private static final ImageLimits DEFAULT_LIMITS = new ImageLimits(50L * 1024 * 1024, 50_000_000L);
    private static final ImageEngine ENGINE = new ImageEngine(DEFAULT_LIMITS);
    private static final RenditionSpec THUMB = new RenditionSpec("thumb", 100, 100, RenditionSpec.Mode.COVER, 80);
    private static final RenditionSpec FIT = new RenditionSpec("fit", 100, 100, RenditionSpec.Mode.FIT, 80);

    private static Rendition one(byte[] source, RenditionSpec spec) throws ImageRejectedException {
        return ENGINE.render(source, List.of(spec)).get(0);
    }

    @Test
    void coverFillsTheBoxExactly() throws Exception {
        Rendition r = one(TestImages.encoded(400, 300, BufferedImage.TYPE_INT_RGB, "jpeg"), THUMB);

        BufferedImage decoded = TestImages.decode(r.bytes());
        assertThat(decoded.getWidth()).isEqualTo(100).isEqualTo(r.width());
        assertThat(decoded.getHeight()).isEqualTo(100).isEqualTo(r.height());
        assertThat(r.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void fitKeepsTheAspectRatioInsideTheBox() throws Exception {
        Rendition r = one(TestImages.encoded(400, 300, BufferedImage.TYPE_INT_RGB, "png"), FIT);

        assertThat(r.width()).isEqualTo(100);
        assertThat(r.height()).isEqualTo(75);
    }

    @Test
    void fitNeverUpscales() throws Exception {
        Rendition r = one(TestImages.encoded(50, 40, BufferedImage.TYPE_INT_RGB, "png"), FIT);

        assertThat(r.width()).isEqualTo(50);
        assertThat(r.height()).isEqualTo(40);
    }

    @Test
    void theSameInputGivesTheSameBytes() throws Exception {
        byte[] source = TestImages.encoded(640, 480, BufferedImage.TYPE_INT_RGB, "jpeg");

        assertThat(one(source, THUMB).bytes()).isEqualTo(one(source, THUMB).bytes());
    }

    @Test
    void transparentPixelsBecomeWhiteNotBlack() throws Exception {
        byte[] transparent = TestImages.write(new BufferedImage(300, 300, BufferedImage.TYPE_INT_ARGB), "png");

        BufferedImage decoded = TestImages.decode(one(transparent, THUMB).bytes());

        int rgb = decoded.getRGB(50, 50);
        assertThat((rgb >> 16) & 0xff).isGreaterThan(245);
        assertThat(rgb & 0xff).isGreaterThan(245);
    }

    @Test
    void producesEveryRenditionInOrder() throws Exception {
        List<Rendition> renditions = ENGINE.render(TestImages.encoded(800, 600, BufferedImage.TYPE_INT_RGB, "jpeg"),
                RenditionSpec.parseList("thumb:100x100,small:320x320:fit:85"));

        assertThat(renditions).extracting(r -> r.spec().name()).containsExactly("thumb", "small");
        assertThat(renditions.get(1).width()).isEqualTo(320);
        assertThat(renditions.get(1).height()).isEqualTo(240);
    }

    @Test
    void anEmptyObjectIsNotAnImage() {
        assertRejected(new byte[0], Reason.UNSUPPORTED_FORMAT, "empty");
    }

    @Test
    void textIsNotAnImage() {
        assertRejected("hello, world".getBytes(StandardCharsets.UTF_8), Reason.UNSUPPORTED_FORMAT,
                "starts with bytes 68656c6c");
    }

    @Test
    void rejectsTooManyBytesBeforeDecoding() {
        ImageEngine small = new ImageEngine(new ImageLimits(1000, 50_000_000L));
        byte[] source = TestImages.encoded(400, 300, BufferedImage.TYPE_INT_RGB, "png");

        assertThatThrownBy(() -> small.render(source, List.of(THUMB)))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining("MAX_IMAGE_BYTES allows 1000");
    }

    @Test
    void rejectsTooManyPixelsFromTheHeader() {
        ImageEngine small = new ImageEngine(new ImageLimits(50_000_000L, 10_000));
        byte[] source = TestImages.encoded(200, 100, BufferedImage.TYPE_INT_RGB, "png");

        assertThatThrownBy(() -> small.render(source, List.of(THUMB)))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessage("the image is 200x100 = 20000 pixels; MAX_IMAGE_PIXELS allows 10000");
    }

    static Stream<Path> photos() throws IOException {
        try (Stream<Path> files = Files.list(SharedTestData.require("testdata/photos"))) {
            return files.sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("photos")
    void everyRealPhotoBecomesA100x100Thumbnail(Path photo) throws Exception {
        BufferedImage decoded = TestImages.decode(one(Files.readAllBytes(photo), THUMB).bytes());

        assertThat(decoded.getWidth()).isEqualTo(100);
        assertThat(decoded.getHeight()).isEqualTo(100);
    }

    @Test
    void aPdfRenamedPngIsRejectedAsAPdf() throws IOException {
        byte[] pdf = Files.readAllBytes(SharedTestData.require("testdata/edge/pdf_renamed.png"));

        assertRejected(pdf, Reason.UNSUPPORTED_FORMAT, "PDF document");
    }

    @Test
    void the280MegapixelJpegIsRejectedFromItsHeaderByDefault() throws IOException {
        byte[] giant = Files.readAllBytes(SharedTestData.require("testdata/edge/giant_20000x14000_gray.jpg"));

        assertRejected(giant, Reason.TOO_LARGE, "20000x14000");
    }

    /** The recurser/exif-orientation-examples show the same picture stored in all 8 orientations. */
    @Test
    void exifOrientationIsApplied() throws Exception {
        Path dir = SharedTestData.require("testdata/edge");
        BufferedImage upright = TestImages.decode(one(Files.readAllBytes(dir.resolve("exif_Landscape_1.jpg")), FIT).bytes());
        for (int orientation = 2; orientation <= 8; orientation++) {
            byte[] source = Files.readAllBytes(dir.resolve("exif_Landscape_" + orientation + ".jpg"));
            BufferedImage turned = TestImages.decode(one(source, FIT).bytes());

            assertThat(turned.getWidth()).as("orientation %d width", orientation).isEqualTo(upright.getWidth());
            assertThat(meanAbsoluteDifference(upright, turned)).as("orientation %d", orientation).isLessThan(12.0);
        }
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * w * h);
    }

    private static void assertRejected(byte[] source, Reason reason, String messagePart) {
        assertThatThrownBy(() -> ENGINE.render(source, List.of(THUMB)))
                .isInstanceOfSatisfying(ImageRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }
}
