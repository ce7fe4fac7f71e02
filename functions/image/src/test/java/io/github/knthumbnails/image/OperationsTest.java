package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Issue 13: the rendition operations, checked on the pixels they produce. */
class OperationsTest {

    private static RenditionSpec spec(String entry) {
        return RenditionSpec.parseList(entry).get(0);
    }

    private static BufferedImage render(ImageEngine engine, byte[] source, String entry) throws Exception {
        return TestImages.decode(engine.render(source, List.of(spec(entry))).get(0).bytes());
    }

    /** Three upright bands, red | green | blue, for a wide source; the same turned for a tall one. */
    private static BufferedImage bands(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        boolean wide = width >= height;
        for (int i = 0; i < 3; i++) {
            g.setColor(colours[i]);
            if (wide) {
                g.fillRect(i * width / 3, 0, width / 3 + 1, height);
            } else {
                g.fillRect(0, i * height / 3, width, height / 3 + 1);
            }
        }
        g.dispose();
        return image;
    }

    /** The colour of a rendition's middle pixel: R, G or B, whichever channel dominates. */
    private static char dominant(BufferedImage image) {
        int[] rgb = TestImages.rgb(image, image.getWidth() / 2, image.getHeight() / 2);
        return rgb[0] > 200 && rgb[1] < 60 ? 'R' : rgb[1] > 200 && rgb[0] < 60 ? 'G' : rgb[2] > 200 ? 'B' : '?';
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void grayscaleGivesEqualChannelsAndTheLumaOfTheColour(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        byte[] source = TestImages.write(bands(300, 100), "png");

        BufferedImage grey = render(e, source, "g:300x100:cover:95:grayscale");

        assertThat(grey.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < grey.getWidth(); x += 7) {
            int[] rgb = TestImages.rgb(grey, x, 50);
            assertThat(rgb[0]).isEqualTo(rgb[1]).isEqualTo(rgb[2]);
        }
        // BT.601: red 0.299, green 0.587, blue 0.114 of full scale.
        assertThat(TestImages.rgb(grey, 50, 50)[0]).isBetween(70, 82);
        assertThat(TestImages.rgb(grey, 150, 50)[0]).isBetween(144, 156);
        assertThat(TestImages.rgb(grey, 250, 50)[0]).isBetween(23, 35);
    }

    @Test
    void grayscaleKeepsAlphaAndMakesEveryChannelEqual() throws Exception {
        BufferedImage source = new BufferedImage(60, 40, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = source.createGraphics();
        g.setColor(new Color(255, 0, 0, 128));
        g.fillRect(0, 0, 30, 40);
        g.dispose();

        BufferedImage out = render(Engines.FALLBACK, TestImages.write(source, "png"), "g:60x40:fit:90:png:grayscale");

        assertThat(out.getColorModel().hasAlpha()).isTrue();
        int argb = out.getRGB(10, 10);
        assertThat(argb >>> 24).isBetween(120, 136);
        assertThat(argb >> 16 & 0xff).isEqualTo(argb >> 8 & 0xff).isEqualTo(argb & 0xff);
        assertThat(out.getRGB(50, 10) >>> 24).isZero();
    }

    /** A step from 0 to 255 blurred with sigma s has its steepest slope 255 / (s * sqrt(2 pi)) per pixel. */
    @ParameterizedTest
    @CsvSource({"1.0", "2.5", "6"})
    void blurSoftensAStepEdgeByTheGaussiansSlope(double sigma) {
        int w = 200;
        byte[] data = new byte[w * 10];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % w < w / 2 ? 0 : 255);
        }

        Pixels blurred = Filters.blur(new Pixels(w, 10, 1, data), sigma);

        int steepest = 0;
        for (int x = 1; x < w; x++) {
            steepest = Math.max(steepest, (blurred.data()[5 * w + x] & 0xff) - (blurred.data()[5 * w + x - 1] & 0xff));
        }
        assertThat((double) steepest).isCloseTo(255 / (sigma * Math.sqrt(2 * Math.PI)),
                org.assertj.core.data.Offset.offset(255 / (sigma * Math.sqrt(2 * Math.PI)) * 0.08 + 1));
        assertThat(blurred.data()[5 * w] & 0xff).isZero();
        assertThat(blurred.data()[5 * w + w - 1] & 0xff).isEqualTo(255);
    }

    /**
     * Through the engine: the sum of squared differences between neighbours (edge energy) of a blurred rendition is
     * that of the sharp rendition blurred by the same sigma, within the JPEG's error, and far below the sharp one's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.knthumbnails.image.Engines#both")
    void blurLowersTheEdgeEnergyOfARenditionAsTheGaussianDoes(String name, ImageEngine engine) throws Exception {
        ImageEngine e = Engines.require(name, engine);
        byte[] source = TestImages.write(TestImages.quadrants(400, 400), "png");

        BufferedImage sharp = render(e, source, "s:100x100:cover:100");
        BufferedImage soft = render(e, source, "s:100x100:cover:100:blur=3");
        Pixels expected = Filters.blur(Rasters.view(sharp).copy(), 3);

        double sharpEnergy = edgeEnergy(Rasters.view(sharp).copy());
        double softEnergy = edgeEnergy(Rasters.view(soft).copy());
        assertThat(softEnergy).isCloseTo(edgeEnergy(expected), org.assertj.core.data.Percentage.withPercentage(15));
        assertThat(softEnergy).isLessThan(sharpEnergy / 3);
    }

    private static double edgeEnergy(Pixels p) {
        double sum = 0;
        int ch = p.channels();
        for (int y = 0; y < p.height(); y++) {
            for (int x = 1; x < p.width(); x++) {
                for (int c = 0; c < ch; c++) {
                    int d = (p.data()[(y * p.width() + x) * ch + c] & 0xff)
                            - (p.data()[(y * p.width() + x - 1) * ch + c] & 0xff);
                    sum += d * d;
                }
            }
        }
        return sum;
    }

    /** A cover crop of a third of the picture keeps the band the gravity names, upright or turned by EXIF. */
    @ParameterizedTest(name = "{0} of {1}x{2}, orientation {3}")
    @CsvSource({"center,300,100,1,G", "west,300,100,1,R", "east,300,100,1,B", "northwest,300,100,1,R",
            "southeast,300,100,1,B", "north,300,100,1,G", "north,100,300,1,R", "south,100,300,1,B",
            "northeast,100,300,1,R",
            // Stored 300 wide, displayed 300 tall after orientation 6 (turn clockwise): the stored left band is on top.
            "north,300,100,6,R", "south,300,100,6,B", "west,300,100,6,G",
            // Orientation 3 (turned 180 degrees): the stored right band is on the displayed left.
            "west,300,100,3,B", "east,300,100,3,R"})
    void eachGravityKeepsItsPartOfThePicture(String gravity, int width, int height, int orientation, char band)
            throws Exception {
        byte[] jpeg = TestImages.write(bands(width, height), "jpg");
        byte[] source = orientation == 1 ? jpeg : TestImages.withSegment(jpeg, 0xE1, TestImages.exif(orientation));
        for (ImageEngine engine : Engines.available()) {
            BufferedImage out = render(engine, source, "t:100x100:cover:95:gravity=" + gravity);

            assertThat(out.getWidth()).isEqualTo(100);
            assertThat(dominant(out)).as("%s, %s", gravity, engine.jpegDecoder()).isEqualTo(band);
        }
    }

    /** A small textured, saturated subject off centre on a plain background: smart keeps it, centre cuts it off. */
    @Test
    void smartCropFindsAnOffCentreSubjectAndIsDeterministic() throws Exception {
        BufferedImage picture = new BufferedImage(900, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(new Color(120, 130, 125));
        g.fillRect(0, 0, 900, 300);
        for (int i = 0; i < 12; i++) { // a striped orange ball, centred at (740, 120)
            g.setColor(i % 2 == 0 ? new Color(240, 120, 20) : new Color(120, 40, 10));
            g.fillOval(680 + i * 5, 60 + i * 5, 120 - i * 10, 120 - i * 10);
        }
        g.dispose();
        byte[] source = TestImages.write(picture, "jpg");
        for (ImageEngine engine : Engines.available()) {
            List<Rendition> out = engine.render(source, List.of(spec("s:100x100:cover:90:gravity=smart"),
                    spec("c:100x100:cover:90")));
            BufferedImage smart = TestImages.decode(out.get(0).bytes());
            BufferedImage centre = TestImages.decode(out.get(1).bytes());

            // The rendition is a third of the source's size: the whole ball is a ninth of its orange pixels.
            assertThat(orange(smart)).as(engine.jpegDecoder()).isGreaterThan((int) (orange(picture) / 9 * 0.9));
            assertThat(orange(centre)).isZero();
            assertThat(engine.render(source, List.of(spec("s:100x100:cover:90:gravity=smart"))).get(0).bytes())
                    .isEqualTo(out.get(0).bytes());
        }
    }

    @Test
    void smartCropOfAFeaturelessPictureIsTheCentreCrop() {
        Pixels flat = new Pixels(30, 10, 3, new byte[900]);
        SmartCrop crop = SmartCrop.of(flat, 0.1, 0.1);

        assertThat(crop.calculate(300, 100, 100, 100, 0, 0, 0, 0)).isEqualTo(new java.awt.Point(100, 0));
    }

    private static int orange(BufferedImage image) {
        int orange = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int[] rgb = TestImages.rgb(image, x, y);
                if (rgb[0] > 180 && rgb[1] > 80 && rgb[1] < 160 && rgb[2] < 80) {
                    orange++;
                }
            }
        }
        return orange;
    }
}
