package io.github.knthumbnails.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed corpus of {@link HeaderFuzzTest} and {@link RenderFuzzTest}: one tiny image per format and per header
 * feature the readers branch on, all made here. {@code main DIR...} writes them into each directory (the fuzz tests'
 * {@code *Inputs/<method>} resource directories, where Jazzer also keeps its findings as regression inputs).
 */
public final class FuzzSeeds {

    private FuzzSeeds() {
    }

    /** @return seed name to bytes */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("seed-baseline.jpg", TestImages.encoded(16, 12, BufferedImage.TYPE_INT_RGB, "jpeg"));
        seeds.put("seed-grey.jpg", TestImages.encoded(16, 12, BufferedImage.TYPE_BYTE_GRAY, "jpeg"));
        seeds.put("seed-progressive.jpg", HostileImages.progressiveJpeg(16, 16));
        seeds.put("seed-exif.jpg", TestImages.withSegment(TestImages.encoded(8, 8, BufferedImage.TYPE_INT_RGB,
                "jpeg"), 0xE1, TestImages.exif(6)));
        seeds.put("seed-cmyk.jpg", TestImages.cmykJpeg(8, 8, true));
        seeds.put("seed-rgba.png", TestImages.encoded(8, 6, BufferedImage.TYPE_INT_ARGB, "png"));
        seeds.put("seed-grey.png", TestImages.encoded(8, 6, BufferedImage.TYPE_USHORT_GRAY, "png"));
        seeds.put("seed.gif", TestImages.gif(TestImages.flat(8, 8, BufferedImage.TYPE_INT_RGB, java.awt.Color.RED),
                TestImages.flat(8, 8, BufferedImage.TYPE_INT_RGB, java.awt.Color.BLUE)));
        seeds.put("seed-lossless.webp", TestImages.webp(WorstCaseBench.vp8lFlat(8, 8)));
        seeds.put("seed-animated.webp", TestImages.webp(TestImages.vp8x(8, 8, true),
                TestImages.anmf(8, 8, WorstCaseBench.vp8lFlat(8, 8))));
        seeds.put("seed.bmp", TestImages.encoded(8, 6, BufferedImage.TYPE_INT_RGB, "bmp"));
        seeds.put("seed-strips.tif", TestImages.encoded(8, 6, BufferedImage.TYPE_INT_RGB, "tiff"));
        seeds.put("seed-tiled.tif", HostileImages.tiffWithOneTile(8, 8, 16));
        return seeds;
    }

    public static void main(String[] args) throws IOException {
        for (String dir : args) {
            Path path = Files.createDirectories(Path.of(dir));
            for (Map.Entry<String, byte[]> seed : seeds().entrySet()) {
                Files.write(path.resolve(seed.getKey()), seed.getValue());
            }
        }
    }
}
