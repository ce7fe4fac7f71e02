package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes admission and decoding together, with the ImageIO fallback and, where installed, libjpeg-turbo: for any
 * bytes, renditions or an {@link ImageRejectedException}; never another exception, an {@link OutOfMemoryError}
 * (the fuzzing JVM runs under {@code -Xmx1g}, see the pom), or a run past the deadline. Small limits keep each run
 * cheap: 1 MP, 2 s.
 */
class RenderFuzzTest {

    private static final long DEADLINE_MS = 2000;
    private static final EngineSettings SETTINGS = EngineSettings.defaults(new ImageLimits(1 << 20, 1_000_000,
            DEADLINE_MS));
    private static final ImageEngine NATIVE = new ImageEngine(SETTINGS, true);
    private static final ImageEngine FALLBACK = new ImageEngine(SETTINGS, false);
    private static final List<RenditionSpec> SPECS = RenditionSpec.parseList("t:32x32:cover:80,p:48x48:fit:80:png");

    @FuzzTest(maxDuration = "20s")
    void render(byte[] data) {
        for (ImageEngine engine : List.of(NATIVE, FALLBACK)) {
            long start = System.nanoTime();
            try {
                assertThat(engine.render(data, SPECS)).hasSize(2);
            } catch (ImageRejectedException expected) {
                // the only allowed failure
            }
            // The deadline is checked between stages and while ImageIO reads; libjpeg-turbo's decode runs to its
            // end. Generous slack: this is a hang detector, not a benchmark.
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5 * DEADLINE_MS);
        }
    }
}
