package io.github.knthumbnails.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The figures scripts/coldstart.sh prints, and the last line the team's independent measurement parses. */
class ReportTest {

    private static Stats stats(Stats.Run... runs) {
        return new Stats(List.of(runs));
    }

    private static Stats.Run run(long millis, long rssKb, long cpuMillis) {
        return new Stats.Run(millis, rssKb, cpuMillis);
    }

    @Test
    void theMedianIsTheMiddleRunOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Stats.median(List.of(900L, 100L, 500L))).isEqualTo(500);
        assertThat(Stats.median(List.of(4L, 1L, 3L, 2L))).isEqualTo(3); // (2 + 3) / 2 rounded half up
        assertThat(Stats.median(List.of(10L, 20L))).isEqualTo(15);
        assertThat(Stats.median(List.of(7L))).isEqualTo(7);
    }

    @Test
    void aVariantNeedsARun() {
        assertThatThrownBy(() -> new Stats(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLastLineHasEveryMedianAsAnIntegerInTheIssuesOrder() {
        Map<String, Stats> stats = new LinkedHashMap<>();
        // Inserted out of order: the line's order is fixed.
        stats.put("baseline_resize",
                stats(run(9100L, 400_000L, 9000L), run(9900L, 410_000L, 9500L), run(9500L, 405_000L, 9200L)));
        stats.put("resize",
                stats(run(980L, 150_000L, 1300L), run(1010L, 151_000L, 1250L), run(990L, 149_000L, 1400L)));
        stats.put("resize_1cpu", stats(run(1400L, 1L, 1L), run(1300L, 1L, 1L), run(1350L, 1L, 1L)));
        stats.put("status", stats(run(700L, 1L, 1L), run(650L, 1L, 1L), run(800L, 1L, 1L)));
        stats.put("minio_source", stats(run(600L, 1L, 1L), run(610L, 1L, 1L), run(590L, 1L, 1L)));

        assertThat(Report.lastLine(stats, 3)).isEqualTo("coldstart resize_ms=990 resize_1cpu_ms=1350 status_ms=700"
                + " minio_source_ms=600 baseline_resize_ms=9500 runs=3");
        assertThat(Report.ratio(stats)).isEqualTo("baseline/resize: 9.6x (median 9500 ms / 990 ms)");
        assertThat(stats.get("resize").describe())
                .isEqualTo("980 1010 990 ms; median 990, min 980, max 1010; RSS median 154 MB; CPU median 1300 ms");
    }

    @Test
    void aVariantNotMeasuredIsNa() {
        Map<String, Stats> stats = Map.of("status", stats(run(700L, 1L, 1L)));

        assertThat(Report.lastLine(stats, 1)).isEqualTo("coldstart resize_ms=NA resize_1cpu_ms=NA status_ms=700"
                + " minio_source_ms=NA baseline_resize_ms=NA runs=1");
        assertThat(Report.ratio(stats)).isNull();
    }

    @Test
    void trainingReplacesTheImagesCacheByTheOutputAndDropsTheMode() {
        Path cache = Path.of("/build/resize.aot");

        assertThat(Train.trainingCommand(List.of("/r/opt/java/bin/java", "-XX:AOTMode=on",
                "-XX:AOTCache=/r/app/aot/resize.aot", "-cp", "/r/a.jar", "Main"), cache))
                .containsExactly("/r/opt/java/bin/java", "-XX:AOTCacheOutput=/build/resize.aot", "-cp", "/r/a.jar",
                        "Main");
        assertThat(Train.trainingCommand(List.of("/r/java", "-cp", "/r/a.jar", "Main"), cache))
                .containsExactly("/r/java", "-XX:AOTCacheOutput=/build/resize.aot", "-cp", "/r/a.jar", "Main");
    }
}
