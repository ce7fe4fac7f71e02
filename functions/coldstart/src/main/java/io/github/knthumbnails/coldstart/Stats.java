package io.github.knthumbnails.coldstart;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The runs of one variant: fork to first answer, and the resident memory and CPU time the process had used by then.
 *
 * @param millis    each run's time, in run order, ms
 * @param rssKb     each run's {@code VmRSS} after the first answer, kB (-1 when unknown)
 * @param cpuMillis each run's user + system CPU time up to the first answer, ms (-1 when unknown): on a shared
 *                  machine it moves less than wall time, as time the VM's neighbours take is not counted
 */
public record Stats(List<Long> millis, List<Long> rssKb, List<Long> cpuMillis) {

    /** @throws IllegalArgumentException when there is no run, or the lists differ in length */
    public Stats {
        if (millis.isEmpty() || millis.size() != rssKb.size() || millis.size() != cpuMillis.size()) {
            throw new IllegalArgumentException("a variant needs at least one run, with one RSS and CPU figure per run");
        }
        millis = List.copyOf(millis);
        rssKb = List.copyOf(rssKb);
        cpuMillis = List.copyOf(cpuMillis);
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
        return median(millis);
    }

    /** @return fastest run, ms */
    public long minMillis() {
        return Collections.min(millis);
    }

    /** @return slowest run, ms */
    public long maxMillis() {
        return Collections.max(millis);
    }

    /** @return median RSS after the first answer, MB (10^6 bytes), rounded */
    public long medianRssMb() {
        return Math.round(median(rssKb) * 1024 / 1e6);
    }

    /** @return median CPU time (user + system) up to the first answer, ms */
    public long medianCpuMillis() {
        return median(cpuMillis);
    }

    /** @return e.g. {@code 812 790 845 ms; median 812, min 790, max 845; RSS median 151 MB; CPU median 1210 ms} */
    public String describe() {
        return String.format(Locale.ROOT, "%s ms; median %d, min %d, max %d; RSS median %d MB; CPU median %d ms",
                millis.stream().map(String::valueOf).collect(Collectors.joining(" ")), medianMillis(), minMillis(),
                maxMillis(), medianRssMb(), medianCpuMillis());
    }
}
