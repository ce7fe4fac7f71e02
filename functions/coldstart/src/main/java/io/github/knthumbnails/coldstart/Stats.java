package io.github.knthumbnails.coldstart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The runs of one variant: fork to first answer, and the resident memory and CPU time the process had used by then.
 *
 * @param runs each run, in run order
 */
public record Stats(List<Run> runs) {

    /**
     * One run.
     *
     * @param millis    fork to first answer, ms
     * @param rssKb     {@code VmRSS} after the first answer, kB (-1 when unknown)
     * @param cpuMillis user + system CPU time up to the first answer, ms (-1 when unknown): on a shared machine it
     *                  moves less than wall time, as time the VM's neighbours take is not counted
     */
    public record Run(long millis, long rssKb, long cpuMillis) {
    }

    /** @throws IllegalArgumentException when there is no run */
    public Stats {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a variant needs at least one run");
        }
        runs = List.copyOf(runs);
    }

    private List<Long> each(ToLongFunction<Run> figure) {
        return runs.stream().map(figure::applyAsLong).toList();
    }

    /**
     * The median: the middle value, or for an even count the mean of the two middle values rounded half up.
     *
     * @param values at least one value
     * @return their median
     */
    public static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : Math.floorDiv(sorted.get(n / 2 - 1) + sorted.get(n / 2) + 1, 2);
    }

    /** @return median time, ms */
    public long medianMillis() {
        return median(each(Run::millis));
    }

    /** @return fastest run, ms */
    public long minMillis() {
        return Collections.min(each(Run::millis));
    }

    /** @return slowest run, ms */
    public long maxMillis() {
        return Collections.max(each(Run::millis));
    }

    /** @return median RSS after the first answer, MB (10^6 bytes), rounded */
    public long medianRssMb() {
        return Math.round(median(each(Run::rssKb)) * 1024 / 1e6);
    }

    /** @return median CPU time (user + system) up to the first answer, ms */
    public long medianCpuMillis() {
        return median(each(Run::cpuMillis));
    }

    /** @return e.g. {@code 812 790 845 ms; median 812, min 790, max 845; RSS median 151 MB; CPU median 1210 ms} */
    public String describe() {
        return String.format(Locale.ROOT, "%s ms; median %d, min %d, max %d; RSS median %d MB; CPU median %d ms",
                each(Run::millis).stream().map(String::valueOf).collect(Collectors.joining(" ")), medianMillis(),
                minMillis(), maxMillis(), medianRssMb(), medianCpuMillis());
    }
}
