package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The libjpeg-turbo binding itself; skipped where libjpeg-turbo is not installed. */
class TurboJpegTest {

    /** 65535 x 65535 x 3 bytes overflows an int: it must be refused, not wrap to a negative or small buffer. */
    @Test
    void aBufferLargerThanAJavaArrayIsTooLargeNotAnOverflow() {
        TurboJpeg turbo = turbo();
        byte[] jpeg = TestImages.encoded(16, 16, BufferedImage.TYPE_INT_RGB, "jpeg");

        assertThatThrownBy(() -> turbo.decode(jpeg, new int[] {65535, 65535}, TurboJpeg.PF_RGB, 3))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining("needs 12884508675 bytes");
    }

    private static TurboJpeg turbo() {
        try {
            return TurboJpeg.load(EngineSettings.DEFAULT_JAR, EngineSettings.defaultLibrary());
        } catch (IllegalStateException e) {
            Assumptions.abort("libjpeg-turbo is not installed: " + e.getMessage());
            throw e;
        }
    }
}
