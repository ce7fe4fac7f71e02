package io.github.knthumbnails.image;

import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.provider.Arguments;

/** The two JPEG decoders every engine test runs on: libjpeg-turbo (skipped where it is not installed) and ImageIO. */
final class Engines {

    static final ImageLimits DEFAULT_LIMITS = new ImageLimits(50L * 1024 * 1024, 50_000_000L);
    static final ImageEngine NATIVE = new ImageEngine(EngineSettings.defaults(DEFAULT_LIMITS), true);
    static final ImageEngine FALLBACK = new ImageEngine(EngineSettings.defaults(DEFAULT_LIMITS), false);

    private Engines() {
    }

    /** @return (name, engine) pairs for {@code @MethodSource} */
    static Stream<Arguments> both() {
        return Stream.of(Arguments.of("turbojpeg", NATIVE), Arguments.of("imageio", FALLBACK));
    }

    /** @return the engines this machine runs: ImageIO, and libjpeg-turbo where it is installed */
    static java.util.List<ImageEngine> available() {
        return NATIVE.jpegDecoder().startsWith("libjpeg-turbo") ? java.util.List.of(NATIVE, FALLBACK)
                : java.util.List.of(FALLBACK);
    }

    /** Skips the calling test when {@code engine} was meant to be native but libjpeg-turbo is not installed. */
    static ImageEngine require(String name, ImageEngine engine) {
        Assumptions.assumeTrue(!name.equals("turbojpeg") || engine.jpegDecoder().startsWith("libjpeg-turbo"),
                () -> "libjpeg-turbo is not installed (apt-get install libturbojpeg0 libturbojpeg-java): "
                        + engine.jpegDecoder());
        return engine;
    }

    /** An engine with other settings and the same decoder as {@code like}. */
    static ImageEngine with(EngineSettings settings, ImageEngine like) {
        return new ImageEngine(settings, like == NATIVE);
    }
}
