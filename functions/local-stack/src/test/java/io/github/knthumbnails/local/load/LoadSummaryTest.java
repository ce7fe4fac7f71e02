package io.github.knthumbnails.local.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.knthumbnails.local.load.JobOutcome.State;
import org.junit.jupiter.api.Test;

class LoadSummaryTest {

    /** The machine-readable last line of issue 9, every figure a number or NA. */
    static final Pattern LAST_LINE = Pattern.compile("load n=(\\d+) ok=(\\d+) lost=(\\d+) failed=(\\d+)"
            + " p50_ms=(\\d+|NA) p99_ms=(\\d+|NA) jobs_per_s=(\\d+\\.\\d{2}|NA) engine_img_per_s=(\\d+\\.\\d|NA)"
            + " ratio=(\\d+\\.\\d{2}|NA)");

    private static final Instant T0 = Instant.parse("2026-12-02T02:00:00Z");

    private static JobOutcome job(int index, State state, long startMs, Long endMs, String errorClass) {
        return new JobOutcome(index, "load/run/" + index, state, T0.plusMillis(startMs),
                endMs == null ? null : T0.plusMillis(endMs), errorClass);
    }

    @Test
    void percentilesAreNearestRankOverTheJobsThatEnded() {
        List<JobOutcome> jobs = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            jobs.add(job(i - 1, State.SUCCEEDED, 0, (long) i, null)); // latencies 1..100 ms
        }
        LoadSummary summary = LoadSummary.of(jobs, Double.NaN);

        assertThat(summary.percentileMs(50)).isEqualTo(50);
        assertThat(summary.percentileMs(95)).isEqualTo(95);
        assertThat(summary.percentileMs(99)).isEqualTo(99);
        assertThat(summary.percentileMs(100)).isEqualTo(100);
        // rank ceil(0.5 * 3) = 2, ceil(0.99 * 3) = 3: no interpolation
        LoadSummary three = LoadSummary.of(List.of(job(0, State.SUCCEEDED, 0, 30L, null),
                job(1, State.SUCCEEDED, 0, 10L, null), job(2, State.FAILED, 0, 20L, "corrupt")), Double.NaN);
        assertThat(three.percentileMs(50)).isEqualTo(20);
        assertThat(three.percentileMs(99)).isEqualTo(30);
    }

    @Test
    void countsThroughputAndTheLastLine() {
        // 4 uploads from t=0..300 ms; the last job ends at 2000 ms: 3 ended jobs in 2 s; one lost, one failed.
        List<JobOutcome> jobs = List.of(
                job(0, State.SUCCEEDED, 0, 1000L, null),
                job(1, State.FAILED, 100, 1600L, "unsupported_format"),
                job(2, State.SUCCEEDED, 200, 2000L, null),
                job(3, State.LOST, 300, null, null),
                job(4, State.FAILED, 400, null, JobOutcome.UPLOAD_ERROR));
        LoadSummary summary = LoadSummary.of(jobs, 120.0);

        assertThat(summary.ok()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(2);
        assertThat(summary.lost()).isEqualTo(1);
        assertThat(summary.failures()).isEqualTo(Map.of("unsupported_format", 1L, JobOutcome.UPLOAD_ERROR, 1L));
        assertThat(summary.latenciesMs()).containsExactly(1000, 1500, 1800);
        assertThat(summary.jobsPerSecond()).isEqualTo(1.5);
        assertThat(summary.lastLine()).isEqualTo("load n=5 ok=2 lost=1 failed=2 p50_ms=1500 p99_ms=1800"
                + " jobs_per_s=1.50 engine_img_per_s=120.0 ratio=0.01");
        assertThat(summary.humanLines()).anySatisfy(line -> assertThat(line).contains("p95 1800"))
                .anySatisfy(line -> assertThat(line).contains("(unsupported_format 1, upload_error 1)"));
        assertThat(LAST_LINE.matcher(summary.lastLine()).matches()).isTrue();
    }

    @Test
    void unknownFiguresAreNa() {
        LoadSummary nothingEnded = LoadSummary.of(List.of(job(0, State.LOST, 0, null, null)), Double.NaN);

        assertThat(nothingEnded.lastLine()).isEqualTo("load n=1 ok=0 lost=1 failed=0 p50_ms=NA p99_ms=NA"
                + " jobs_per_s=NA engine_img_per_s=NA ratio=NA");
        assertThat(LAST_LINE.matcher(nothingEnded.lastLine()).matches()).isTrue();
    }

    @Test
    void theEngineFigureIsTheMeanOfFitAndCoverAsBenchShReportsIt() throws Exception {
        EngineFigure figure = EngineFigure.parse("decoder=libjpeg-turbo x\nfit_ms=8.00\nfit_spread_ms=7.9-8.3\n"
                + "cover_ms=8.40\ncover_spread_ms=8.1-9.0\n", "CPU 1");

        assertThat(figure.msPerImage()).isEqualTo(8.2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figure.imagesPerSecond()).isEqualTo(1000 / 8.2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figure.decoder()).isEqualTo("libjpeg-turbo x");
    }
}
