package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The bounds on {@code GET /jobs} (issue 8, finding 9): documented defaults, readable errors. */
class JobsLimitsTest {

    @Test
    void defaults() {
        assertThat(StatusService.Limits.from(name -> null))
                .isEqualTo(new StatusService.Limits(100, 8, Duration.ofMillis(5000)));
    }

    @Test
    void valuesAreReadAndCheckedByName() {
        assertThat(StatusService.Limits.from(Map.of("JOBS_MAX_LIMIT", "50", "JOBS_CONCURRENCY", "4",
                "JOBS_TIME_BUDGET_MS", "2000")::get)).isEqualTo(new StatusService.Limits(50, 4, Duration.ofSeconds(2)));
        assertThatThrownBy(() -> StatusService.Limits.from(Map.of("JOBS_CONCURRENCY", "0")::get))
                .hasMessageContaining("JOBS_CONCURRENCY");
        assertThatThrownBy(() -> StatusService.Limits.from(Map.of("JOBS_TIME_BUDGET_MS", "soon")::get))
                .hasMessageContaining("JOBS_TIME_BUDGET_MS");
    }
}
