package io.github.knthumbnails.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MinioWebhookAuthTest {

    @Test
    void oneWordIsABearerTokenAndTwoWordsAreSentAsTheyAre() {
        assertThat(MinioWebhookAuth.authorizationHeader("s3cr3t")).isEqualTo("Bearer s3cr3t");
        assertThat(MinioWebhookAuth.authorizationHeader("Token s3cr3t")).isEqualTo("Token s3cr3t");
        assertThat(MinioWebhookAuth.authorizationHeader(" ")).isNull();
        assertThat(MinioWebhookAuth.authorizationHeader(null)).isNull();
    }

    @Test
    void rejectsATokenMinioWouldNotSend() {
        assertThatThrownBy(() -> MinioWebhookAuth.authorizationHeader("a b c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 3");
    }
}
