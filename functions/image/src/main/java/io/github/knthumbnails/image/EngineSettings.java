package io.github.knthumbnails.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The image engine's configuration, read from the environment.
 *
 * @param limits         admission limits and the per-image deadline ({@link ImageLimits#MAX_IMAGE_BYTES},
 *                       {@link ImageLimits#MAX_IMAGE_PIXELS}, {@link ImageLimits#IMAGE_DEADLINE_MS})
 * @param background     0xRRGGBB that transparent pixels are flattened onto for JPEG output
 * @param turboJpegJar   libjpeg-turbo's Java binding (Debian {@code libturbojpeg-java})
 * @param turboJpegLibrary libjpeg-turbo's TurboJPEG library (Debian {@code libturbojpeg0}); when either file is
 *                         missing, JPEGs are decoded by the pure-Java fallback (ImageIO with subsampled reads)
 */
public record EngineSettings(ImageLimits limits, int background, Path turboJpegJar, Path turboJpegLibrary) {

    /** Background for transparent pixels in JPEG output, {@code RRGGBB} hex; default {@code ffffff} (white). */
    public static final String IMAGE_BACKGROUND = "IMAGE_BACKGROUND";
    /** Path of {@code turbojpeg.jar}; default {@code /usr/share/java/turbojpeg.jar}. */
    public static final String TURBOJPEG_JAR = "TURBOJPEG_JAR";
    /** Path of {@code libturbojpeg.so.0}; default {@code /usr/lib/<multiarch>/libturbojpeg.so.0}. */
    public static final String TURBOJPEG_LIBRARY = "TURBOJPEG_LIBRARY";
    /** The environment variables this record reads. */
    public static final List<String> VARIABLES = Stream.concat(ImageLimits.VARIABLES.stream(),
            Stream.of(IMAGE_BACKGROUND, TURBOJPEG_JAR, TURBOJPEG_LIBRARY)).toList();

    /** Where Debian's {@code libturbojpeg-java} puts the jar. */
    public static final Path DEFAULT_JAR = Path.of("/usr/share/java/turbojpeg.jar");

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the settings, defaults filled in
     * @throws IllegalArgumentException naming the variable, if a value is invalid
     */
    public static EngineSettings from(Function<String, String> env) {
        return new EngineSettings(ImageLimits.from(env), background(env.apply(IMAGE_BACKGROUND)),
                path(env, TURBOJPEG_JAR, DEFAULT_JAR), path(env, TURBOJPEG_LIBRARY, defaultLibrary()));
    }

    /**
     * @param limits admission limits
     * @return the defaults with those limits
     */
    public static EngineSettings defaults(ImageLimits limits) {
        return new EngineSettings(limits, 0xFFFFFF, DEFAULT_JAR, defaultLibrary());
    }

    /** @return Debian's multiarch location of {@code libturbojpeg.so.0} for this JVM's architecture */
    static Path defaultLibrary() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String triplet = arch.equals("aarch64") || arch.equals("arm64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        return Path.of("/usr/lib", triplet, "libturbojpeg.so.0");
    }

    private static Path path(Function<String, String> env, String name, Path fallback) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? fallback : Path.of(value.strip());
    }

    private static int background(String value) {
        if (value == null || value.isBlank()) {
            return 0xFFFFFF;
        }
        String hex = value.strip().startsWith("#") ? value.strip().substring(1) : value.strip();
        if (!hex.matches("[0-9a-fA-F]{6}")) {
            throw new IllegalArgumentException(IMAGE_BACKGROUND + " must be a colour as RRGGBB hex, e.g. ffffff,"
                    + " got '" + value + "'");
        }
        return Integer.parseInt(hex, 16);
    }
}
