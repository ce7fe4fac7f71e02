package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    @Test
    void aFlatImageStaysExactlyFlat() {
        byte[] data = new byte[640 * 480 * 3];
        Arrays.fill(data, (byte) 173);

        Pixels out = Resampler.resize(new Pixels(640, 480, 3, data), 0, 0, 640, 480, 100, 75);

        assertThat(out.data()).containsOnly((byte) 173);
    }

    /** Point sampling (ImageIO subsampling) turns a one-pixel checkerboard black or white; a filter gives grey. */
    @Test
    void aOnePixelCheckerboardBecomesGreyNotAliased() {
        byte[] data = new byte[400 * 400];
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 400; x++) {
                data[y * 400 + x] = (byte) ((x + y) % 2 == 0 ? 255 : 0);
            }
        }

        Pixels out = Resampler.resize(new Pixels(400, 400, 1, data), 0, 0, 400, 400, 100, 100);

        for (byte b : out.data()) {
            assertThat(b & 0xff).isBetween(120, 135);
        }
    }

    /** The filter may reach a few pixels past the crop's edge (as Pillow's does), but no further. */
    @Test
    void aCropTakesItsRegion() {
        // Left half 0, right half 200: cropping the right half gives 200 away from its left edge.
        byte[] data = new byte[200 * 100];
        for (int y = 0; y < 100; y++) {
            Arrays.fill(data, y * 200 + 100, y * 200 + 200, (byte) 200);
        }

        Pixels out = Resampler.resize(new Pixels(200, 100, 1, data), 100, 0, 100, 100, 10, 10);

        for (int y = 0; y < 10; y++) {
            for (int x = 3; x < 10; x++) {
                assertThat(out.data()[y * 10 + x] & 0xff).as("(%d, %d)", x, y).isEqualTo(200);
            }
        }
    }

    @Test
    void boxReductionAveragesWholeBlocksAndTheEdgeRemainder() {
        byte[] grey = {10, 20, 30, 40, 50, 12, 22, 32, 42, 52};
        byte[] rgb = new byte[30];
        for (int i = 0; i < 10; i++) {
            Arrays.fill(rgb, i * 3, i * 3 + 3, grey[i]);
        }

        Pixels g = Resampler.boxReduce(new Pixels(5, 2, 1, grey), 2, 2);
        Pixels c = Resampler.boxReduce(new Pixels(5, 2, 3, rgb), 2, 2);

        assertThat(g.data()).containsExactly(16, 36, 51);
        assertThat(c.data()).containsExactly(16, 16, 16, 36, 36, 36, 51, 51, 51);
    }
}
