package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** {@link StatusRoutes}: unset is the public routes only (fail closed) and a misspelt value is a clear error. */
class StatusRoutesTest {

    @Test
    void unsetMeansAllAndValuesAreReadAsWritten() {
        assertThat(StatusRoutes.from(Map.<String, String>of()::get)).isEqualTo(StatusRoutes.PUBLIC);
        assertThat(StatusRoutes.from(Map.of("STATUS_ROUTES", "all")::get)).isEqualTo(StatusRoutes.ALL);
        assertThat(StatusRoutes.from(Map.of("STATUS_ROUTES", "public")::get)).isEqualTo(StatusRoutes.PUBLIC);
        assertThat(StatusRoutes.from(Map.of("STATUS_ROUTES", " Dead-Letter ")::get))
                .isEqualTo(StatusRoutes.DEAD_LETTER);
    }

    @Test
    void aMisspeltValueIsRefusedNotTakenAsAll() {
        assertThatThrownBy(() -> StatusRoutes.from(Map.of("STATUS_ROUTES", "deadletter")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("STATUS_ROUTES must be public, dead-letter or all, got 'deadletter'");
    }
}
