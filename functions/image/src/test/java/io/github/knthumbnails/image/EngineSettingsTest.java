package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EngineSettingsTest {

    @Test
    void defaultsAreWhiteAndTheDebianLocations() {
        EngineSettings settings = EngineSettings.from(name -> null);

        assertThat(settings.background()).isEqualTo(0xFFFFFF);
        assertThat(settings.turboJpegJar()).isEqualTo(Path.of("/usr/share/java/turbojpeg.jar"));
        assertThat(settings.turboJpegLibrary().toString())
                .matches("/usr/lib/(x86_64|aarch64)-linux-gnu/libturbojpeg.so.0");
        assertThat(settings.limits().maxPixels()).isEqualTo(50_000_000L);
        assertThat(settings.limits().deadlineMs()).isEqualTo(20_000L);
    }

    /** Issue 8, finding 3: the per-image deadline is configurable, and must be a positive number of ms. */
    @Test
    void theDeadlineComesFromImageDeadlineMs() {
        assertThat(EngineSettings.VARIABLES).contains(ImageLimits.IMAGE_DEADLINE_MS);
        assertThat(EngineSettings.from(Map.of("IMAGE_DEADLINE_MS", "5000")::get).limits().deadlineMs())
                .isEqualTo(5000L);
        assertThatThrownBy(() -> EngineSettings.from(Map.of("IMAGE_DEADLINE_MS", "0")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IMAGE_DEADLINE_MS");
    }

    @Test
    void readsEveryVariableItLists() {
        Map<String, String> env = Map.of("IMAGE_BACKGROUND", "#1a2B3c", "TURBOJPEG_JAR", "/opt/tj.jar",
                "TURBOJPEG_LIBRARY", "/opt/libturbojpeg.so.0", "MAX_IMAGE_PIXELS", "123");

        EngineSettings settings = EngineSettings.from(env::get);

        assertThat(EngineSettings.VARIABLES).containsAll(env.keySet());
        assertThat(settings.background()).isEqualTo(0x1A2B3C);
        assertThat(settings.turboJpegJar()).isEqualTo(Path.of("/opt/tj.jar"));
        assertThat(settings.turboJpegLibrary()).isEqualTo(Path.of("/opt/libturbojpeg.so.0"));
        assertThat(settings.limits().maxPixels()).isEqualTo(123);
    }

    @Test
    void aBackgroundThatIsNotAColourIsRefusedWithItsName() {
        assertThatThrownBy(() -> EngineSettings.from(Map.of("IMAGE_BACKGROUND", "white")::get))
                .hasMessageContaining("IMAGE_BACKGROUND").hasMessageContaining("'white'");
    }

    @Test
    void missingLibjpegTurboFallsBackToImageIoAndSaysWhy() {
        ImageEngine engine = new ImageEngine(new EngineSettings(Engines.DEFAULT_LIMITS, 0xFFFFFF,
                Path.of("/nonexistent/turbojpeg.jar"), EngineSettings.defaultLibrary()));

        assertThat(engine.jpegDecoder()).startsWith("ImageIO").contains("/nonexistent/turbojpeg.jar not found");
    }
}
