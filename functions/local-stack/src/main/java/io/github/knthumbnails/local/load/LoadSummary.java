package io.github.knthumbnails.local.load;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The figures of one load run, and how they are printed.
 *
 * <p>Latency is upload start to the job record's {@code finished} time, over the jobs that ended (succeeded or
 * failed in the pipeline). Percentiles are nearest-rank: the value at rank ⌈p/100 × n⌉ of the sorted latencies,
 * as {@code scripts/load-demo.sh} computes them. Throughput is the number of ended jobs divided by the time from
 * the first upload start to the last {@code finished}; it equals N / that time when nothing was lost.
 *
 * @param count          uploads attempted (N)
 * @param ok             jobs that ended {@code succeeded}
 * @param failed         jobs that ended {@code failed} (uploads the S3 server refused included)
 * @param lost           jobs not terminal by the deadline
 * @param latenciesMs    latencies of the jobs with a recorded end, ascending, in ms
 * @param spanMs         first upload start to last recorded end, in ms; 0 when nothing ended
 * @param failures       failed jobs by error class
 * @param engineImgPerS  the bare engine's images/s on one core, measured in the same run; {@code NaN} if not
 */
public record LoadSummary(int count, int ok, int failed, int lost, double[] latenciesMs, double spanMs,
                          Map<String, Long> failures, double engineImgPerS) {

    /**
     * @param outcomes      every job of the run
     * @param engineImgPerS see the record; {@code NaN} when the engine was not measured
     * @return the summary
     */
    public static LoadSummary of(List<JobOutcome> outcomes, double engineImgPerS) {
        double[] latencies = outcomes.stream().mapToDouble(JobOutcome::latencyMillis).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        Instant first = outcomes.stream().map(JobOutcome::uploadStart).min(Instant::compareTo).orElse(null);
        Instant last = outcomes.stream().map(JobOutcome::finished).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(null);
        double span = first == null || last == null ? 0 : Duration.between(first, last).toNanos() / 1e6;
        Map<String, Long> failures = outcomes.stream().filter(o -> o.state() == JobOutcome.State.FAILED)
                .collect(Collectors.groupingBy(JobOutcome::errorClass, TreeMap::new, Collectors.counting()));
        return new LoadSummary(outcomes.size(), count(outcomes, JobOutcome.State.SUCCEEDED),
                count(outcomes, JobOutcome.State.FAILED), count(outcomes, JobOutcome.State.LOST), latencies, span,
                failures, engineImgPerS);
    }

    private static int count(List<JobOutcome> outcomes, JobOutcome.State state) {
        return (int) outcomes.stream().filter(o -> o.state() == state).count();
    }

    /**
     * @param p a percentile, 0 (exclusive) to 100
     * @return the nearest-rank percentile of the latencies in ms; {@code NaN} when no job ended
     */
    public double percentileMs(double p) {
        if (latenciesMs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * latenciesMs.length);
        return latenciesMs[Math.min(Math.max(rank, 1), latenciesMs.length) - 1];
    }

    /** @return ended jobs per second over {@link #spanMs()}; {@code NaN} when nothing ended */
    public double jobsPerSecond() {
        return spanMs <= 0 ? Double.NaN : latenciesMs.length * 1000 / spanMs;
    }

    /** @return {@link #jobsPerSecond()} / {@link #engineImgPerS()}; {@code NaN} if either is unknown */
    public double ratio() {
        return jobsPerSecond() / engineImgPerS;
    }

    /** @return the lines for people, before the machine-readable one */
    public List<String> humanLines() {
        String why = failures.isEmpty() ? "" : failures.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", " (", ")"));
        return List.of(
                String.format(Locale.ROOT, "jobs: %d uploaded; %d succeeded, %d failed%s, %d lost", count, ok, failed,
                        why, lost),
                String.format(Locale.ROOT, "throughput: %s jobs/s (first upload start to last terminal: %.1f s)",
                        fixed(jobsPerSecond(), 2), spanMs / 1000),
                String.format(Locale.ROOT, "upload->terminal ms: p50 %s  p95 %s  p99 %s  max %s", whole(percentileMs(50)),
                        whole(percentileMs(95)), whole(percentileMs(99)), whole(percentileMs(100))),
                String.format(Locale.ROOT, "bare engine: %s images/s on one core; pipeline / engine = %s",
                        fixed(engineImgPerS, 1), fixed(ratio(), 2)));
    }

    /**
     * @return {@code load n=<N> ok=<> lost=<> failed=<> p50_ms=<> p99_ms=<> jobs_per_s=<> engine_img_per_s=<>
     *     ratio=<>}: ms whole, jobs/s and ratio with 2 decimals, engine images/s with 1; {@code NA} for an unknown
     *     figure (issue 9)
     */
    public String lastLine() {
        return String.format(Locale.ROOT, "load n=%d ok=%d lost=%d failed=%d p50_ms=%s p99_ms=%s jobs_per_s=%s"
                        + " engine_img_per_s=%s ratio=%s", count, ok, lost, failed, whole(percentileMs(50)),
                whole(percentileMs(99)), fixed(jobsPerSecond(), 2), fixed(engineImgPerS, 1), fixed(ratio(), 2));
    }

    private static String whole(double v) {
        return Double.isNaN(v) ? "NA" : Long.toString(Math.round(v));
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "NA" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadSummary s && count == s.count && ok == s.ok && failed == s.failed && lost == s.lost
                && Arrays.equals(latenciesMs, s.latenciesMs) && spanMs == s.spanMs && failures.equals(s.failures)
                && Double.compare(engineImgPerS, s.engineImgPerS) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, ok, failed, lost, Arrays.hashCode(latenciesMs), spanMs, failures, engineImgPerS);
    }

    @Override
    public String toString() {
        return lastLine();
    }
}
