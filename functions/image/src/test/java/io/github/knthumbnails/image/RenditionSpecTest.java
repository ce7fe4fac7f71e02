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

    /** Issue 13: operations come after the existing fields, in any order, each at most once. */
    @Test
    void parsesOperationsAfterTheFormat() {
        List<RenditionSpec> specs = RenditionSpec.parseList("thumb:100x100:cover:80,grey:100x100:cover:80:grayscale,"
                + "smart:200x200:cover:85:gravity=smart,soft:64x48:fit:70:png:blur=2.50:grayscale");

        assertThat(specs).extracting(RenditionSpec::fingerprint).containsExactly("100x100:cover:80:jpeg",
                "100x100:cover:80:jpeg:grayscale", "200x200:cover:85:jpeg:gravity=smart",
                "64x48:fit:70:png:grayscale:blur=2.5");
        assertThat(specs.get(2).gravity()).isEqualTo(Gravity.SMART);
        assertThat(specs.get(3).blur()).isEqualTo(2.5);
        assertThat(RenditionSpec.parseList("a:10x10:gravity=northwest").get(0))
                .isEqualTo(new RenditionSpec("a", 10, 10, RenditionSpec.Mode.COVER, 80, RenditionSpec.Format.JPEG,
                        Gravity.NORTHWEST, false, 0));
    }

    @Test
    void saysWhatIsWrongWithAnOperation() {
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:greyscale"))
                .hasMessageContaining("unknown operation 'greyscale'").hasMessageContaining("spelled grayscale");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:blur")).hasMessageContaining("blur=2");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:blur=0")).hasMessageContaining("0.1 to 50");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:blur=51")).hasMessageContaining("0.1 to 50");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:gravity=top"))
                .hasMessageContaining("gravity 'top' must be one of center, north");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:fit:gravity=north"))
                .hasMessageContaining("needs a cover rendition");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:grayscale:grayscale")).hasMessageContaining("twice");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:blur=1:blur=2")).hasMessageContaining("twice");
        assertThatThrownBy(() -> RenditionSpec.parseList("t:10x10:grayscale:80")).hasMessageContaining("come first");
    }
}
