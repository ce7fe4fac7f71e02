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

    @Test
    void theMedianIsTheMiddleRunOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Stats.median(List.of(900L, 100L, 500L))).isEqualTo(500);
        assertThat(Stats.median(List.of(4L, 1L, 3L, 2L))).isEqualTo(3); // (2 + 3) / 2 rounded half up
        assertThat(Stats.median(List.of(10L, 20L))).isEqualTo(15);
        assertThat(Stats.median(List.of(7L))).isEqualTo(7);
    }

    @Test
    void aVariantNeedsARun() {
        assertThatThrownBy(() -> new Stats(List.of(), List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLastLineHasEveryMedianAsAnIntegerInTheIssuesOrder() {
        Map<String, Stats> stats = new LinkedHashMap<>();
        // Inserted out of order: the line's order is fixed.
        stats.put("baseline_resize", new Stats(List.of(9100L, 9900L, 9500L), List.of(400_000L, 410_000L, 405_000L), List.of(9000L, 9500L, 9200L)));
        stats.put("resize", new Stats(List.of(980L, 1010L, 990L), List.of(150_000L, 151_000L, 149_000L), List.of(1300L, 1250L, 1400L)));
        stats.put("resize_1cpu", new Stats(List.of(1400L, 1300L, 1350L), List.of(1L, 1L, 1L), List.of(1L, 1L, 1L)));
        stats.put("status", new Stats(List.of(700L, 650L, 800L), List.of(1L, 1L, 1L), List.of(1L, 1L, 1L)));
        stats.put("minio_source", new Stats(List.of(600L, 610L, 590L), List.of(1L, 1L, 1L), List.of(1L, 1L, 1L)));

        assertThat(Report.lastLine(stats, 3)).isEqualTo("coldstart resize_ms=990 resize_1cpu_ms=1350 status_ms=700"
                + " minio_source_ms=600 baseline_resize_ms=9500 runs=3");
        assertThat(Report.ratio(stats)).isEqualTo("baseline/resize: 9.6x (median 9500 ms / 990 ms)");
        assertThat(stats.get("resize").describe())
                .isEqualTo("980 1010 990 ms; median 990, min 980, max 1010; RSS median 154 MB; CPU median 1300 ms");
    }

    @Test
    void aVariantNotMeasuredIsNa() {
        Map<String, Stats> stats = Map.of("status", new Stats(List.of(700L), List.of(1L), List.of(1L)));

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
