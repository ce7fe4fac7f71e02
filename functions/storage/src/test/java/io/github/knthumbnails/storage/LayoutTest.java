package io.github.knthumbnails.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LayoutTest {

    @Test
    void derivedKeysEndWithTheSourceKeyVerbatim() {
        assertThat(Layout.renditionKey("thumb", "images", "uploads/My Cat é.jpg"))
                .isEqualTo("renditions/thumb/images/uploads/My Cat é.jpg");
        assertThat(Layout.jobKey("images", "uploads/My Cat é.jpg")).isEqualTo("jobs/images/uploads/My Cat é.jpg");
    }

    @Test
    void keysLongerThanS3AllowsDoNotFit() {
        assertThat(Layout.fits(Layout.jobKey("images", "a".repeat(1000)))).isTrue();
        assertThat(Layout.fits(Layout.jobKey("images", "a".repeat(1020)))).isFalse();
        assertThat(Layout.fits(Layout.jobKey("images", "é".repeat(509)))).isFalse();
    }
}
