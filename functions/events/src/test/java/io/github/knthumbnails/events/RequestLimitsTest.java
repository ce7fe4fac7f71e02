package io.github.knthumbnails.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link RequestLimits}: the documented default, and clear errors naming the variable. */
class RequestLimitsTest {

    @Test
    void theDefaultIsOneMebibyte() {
        assertThat(RequestLimits.from(Map.<String, String>of()::get).maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(RequestLimits.from(Map.of("MAX_REQUEST_BYTES", " 4096 ")::get).maxBodyBytes()).isEqualTo(4096);
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> RequestLimits.from(Map.of("MAX_REQUEST_BYTES", "1MiB")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAX_REQUEST_BYTES");
        assertThatThrownBy(() -> RequestLimits.from(Map.of("MAX_REQUEST_BYTES", "0")::get))
                .hasMessageContaining("MAX_REQUEST_BYTES must be 1 to 1073741824 bytes, got 0");
        assertThatThrownBy(() -> RequestLimits.from(Map.of("MAX_REQUEST_BYTES", "1073741825")::get))
                .hasMessageContaining("MAX_REQUEST_BYTES");
    }
}
