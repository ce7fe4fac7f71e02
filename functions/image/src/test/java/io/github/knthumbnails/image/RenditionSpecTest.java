package io.github.knthumbnails.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class RenditionSpecTest {

    @Test
    void theDefaultIsOne100x100CoverJpeg() {
        assertThat(RenditionSpec.parseList(null))
                .containsExactly(new RenditionSpec("thumb", 100, 100, RenditionSpec.Mode.COVER, 80));
    }

    @Test
    void parsesAListWithOptionalModeAndQuality() {
        assertThat(RenditionSpec.parseList("thumb:100x100, preview:640x480:fit:85 ,sq:64x64:cover"))
                .isEqualTo(List.of(
                        new RenditionSpec("thumb", 100, 100, RenditionSpec.Mode.COVER, 80),
                        new RenditionSpec("preview", 640, 480, RenditionSpec.Mode.FIT, 85),
                        new RenditionSpec("sq", 64, 64, RenditionSpec.Mode.COVER, 80)));
    }

    @Test
    void parsesTheOutputFormatLast() {
        assertThat(RenditionSpec.parseList("icon:32x32:fit:90:png,thumb:100x100:cover:80:jpeg"))
                .extracting(RenditionSpec::format)
                .containsExactly(RenditionSpec.Format.PNG, RenditionSpec.Format.JPEG);
        assertThatThrownBy(() -> RenditionSpec.parseList("icon:32x32:png:fit")).hasMessageContaining("[:jpeg|png]");
    }

    @Test
    void saysWhatAnEntryShouldLookLike() {
        assertThatThrownBy(() -> RenditionSpec.parseList("thumb=100x100"))
                .hasMessageContaining("'thumb=100x100' must look like name:WIDTHxHEIGHT");
    }

    @Test
    void rejectsOutOfRangeValuesAndRepeats() {
        assertThatThrownBy(() -> RenditionSpec.parseList("t:0x100")).hasMessageContaining("1 to 8192");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:fit:101")).hasMessageContaining("1 to 100");
        assertThatThrownBy(() -> RenditionSpec.parseList("Thumb:10x10")).hasMessageContaining("a-z, 0-9");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10,t:20x20")).hasMessageContaining("twice");
    }
}
