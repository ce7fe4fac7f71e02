package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.knthumbnails.image.ImageRejectedException.Reason;
import org.junit.jupiter.api.Test;

class PixelsTest {

    @Test
    void bufferSizesAreComputedWithoutIntOverflow() throws Exception {
        assertThat(Pixels.bytes(640, 480, 3)).isEqualTo(921_600);
        // 40000 x 40000 x 4 = 6.4e9 bytes: in int arithmetic it wraps to 2105032704, which looks allocatable.
        assertThatThrownBy(() -> Pixels.bytes(40_000, 40_000, 4))
                .isInstanceOfSatisfying(ImageRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                .hasMessageContaining("needs 6400000000 bytes");
    }
}
