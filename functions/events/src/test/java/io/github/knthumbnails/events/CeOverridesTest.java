package io.github.knthumbnails.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CeOverridesTest {

    @Test
    void readsExtensionsAsStrings() {
        assertThat(CeOverrides.parse("{\"extensions\":{\"extra\":\"this is an extra attribute\",\"additional\":42}}"))
                .containsExactly(java.util.Map.entry("extra", "this is an extra attribute"),
                        java.util.Map.entry("additional", "42"));
    }

    @Test
    void unsetMeansNoOverrides() {
        assertThat(CeOverrides.parse(null)).isEmpty();
        assertThat(CeOverrides.parse(" ")).isEmpty();
    }

    @Test
    void rejectsInvalidExtensionNames() {
        assertThatThrownBy(() -> CeOverrides.parse("{\"extensions\":{\"Bad-Name\":\"x\"}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Bad-Name'");
    }

    @Test
    void rejectsOtherShapes() {
        assertThatThrownBy(() -> CeOverrides.parse("[1]")).hasMessageContaining("must look like");
        assertThatThrownBy(() -> CeOverrides.parse("{")).hasMessageContaining("not JSON");
    }
}
