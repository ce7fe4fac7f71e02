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
    void keysLongerThanS3AllowsAreNotStorable() {
        assertThat(Layout.isStorable(Layout.jobKey("images", "a".repeat(1000)))).isTrue();
        assertThat(Layout.isStorable(Layout.jobKey("images", "a".repeat(1020)))).isFalse();
        assertThat(Layout.isStorable(Layout.jobKey("images", "é".repeat(509)))).isFalse();
    }

    @Test
    void dotSegmentsAreNotStorableButDotsInNamesAre() {
        assertThat(Layout.isStorable("a/../b.jpg")).isFalse();
        assertThat(Layout.isStorable("./b.jpg")).isFalse();
        assertThat(Layout.isStorable("a/..")).isFalse();
        assertThat(Layout.isStorable("")).isFalse();
        assertThat(Layout.isStorable("a/..b/.c.jpg")).isTrue();
        assertThat(Layout.isStorable("a//b.jpg")).isTrue();
    }

    /** A source is processable only when its record and every rendition can be stored too (issue 13: backfill). */
    @Test
    void aSourceIsProcessableOnlyWhenEveryKeyDerivedFromItIsStorable() {
        assertThat(Layout.isProcessable("images", "a/cat.jpg", java.util.List.of("thumb", "grey"))).isTrue();
        String longest = "a".repeat(1005);
        assertThat(Layout.isProcessable("images", longest, java.util.List.of())).as("its job record fits").isTrue();
        assertThat(Layout.isProcessable("images", longest, java.util.List.of("thumb")))
                .as("renditions/thumb/images/<key> is over 1024 bytes").isFalse();
        assertThat(Layout.isProcessable("images", "a/../cat.jpg", java.util.List.of("thumb"))).isFalse();
    }
}
