package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The restart schedule the local stack documents: 0.5 s doubling to 30 s, like kubelet's CrashLoopBackOff. */
class SupervisorSettingsTest {

    @Test
    void theDefaultDelayStartsAtHalfASecondAndDoublesToThirtySeconds() {
        assertThat(IntStream.range(0, 9).mapToObj(Supervisor.Settings.DEFAULTS::backoff).map(Duration::toMillis))
                .containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
    }

    @Test
    void aLongCrashLoopStaysAtTheCap() {
        assertThat(Supervisor.Settings.DEFAULTS.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aThresholdBelowOneIsRefused() {
        assertThatThrownBy(() -> new Supervisor.Settings(Duration.ofSeconds(2), Duration.ofSeconds(1), 0,
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofSeconds(120))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failureThreshold");
    }
}
