package io.github.knthumbnails.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MinioKeysTest {

    @ParameterizedTest(name = "{1} <-> {0}")
    @CsvSource(delimiter = '|', value = {
            "uploads%2FMy+Cat+%C3%A9.jpg | uploads/My Cat é.jpg",
            "photos%2FTile+%2B002+%C3%A9.jpg | photos/Tile +002 é.jpg",
            "Remark+%E6%8F%92%E4%BB%B6%E6%B5%8B%E8%AF%95%2Fremark-comment.md | Remark 插件测试/remark-comment.md",
            "a-b_c.d~e%2A%21%27%28%29 | a-b_c.d~e*!'()",
    })
    void decodesAndEncodesLikeGoQueryEscape(String encoded, String key) {
        assertThat(MinioKeys.decode(encoded)).isEqualTo(key);
        assertThat(MinioKeys.encode(key)).isEqualTo(encoded);
    }

    @Test
    void plusIsASpaceNotAPlus() {
        assertThat(MinioKeys.decode("a+b")).isEqualTo("a b");
        assertThat(MinioKeys.decode("a%2Bb")).isEqualTo("a+b");
    }

    @Test
    void rejectsBrokenPercentEncoding() {
        assertThatThrownBy(() -> MinioKeys.decode("cat%ZZ.jpg"))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("cat%ZZ.jpg");
    }
}
