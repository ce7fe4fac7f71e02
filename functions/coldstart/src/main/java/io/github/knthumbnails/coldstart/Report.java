package io.github.knthumbnails.coldstart;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures ColdStart prints, and its machine-readable last line (issue 10, item 4):
 * {@code coldstart resize_ms=<> resize_1cpu_ms=<> status_ms=<> minio_source_ms=<> baseline_resize_ms=<> runs=<n>}.
 */
final class Report {

    /** The variants, in the order they run within each round and appear in the last line. */
    static final List<String> VARIANTS = List.of("resize", "resize_1cpu", "status", "minio_source", "baseline_resize");

    private Report() {
    }

    /**
     * @param stats by variant name ({@link #VARIANTS}); a variant not measured is {@code NA}
     * @param runs  runs per variant
     * @return the last line: medians in whole ms
     */
    static String lastLine(Map<String, Stats> stats, int runs) {
        StringBuilder line = new StringBuilder("coldstart");
        for (String variant : VARIANTS) {
            Stats s = stats.get(variant);
            line.append(' ').append(variant).append("_ms=").append(s == null ? "NA" : Long.toString(s.medianMillis()));
        }
        return line.append(" runs=").append(runs).toString();
    }

    /**
     * @param stats by variant
     * @return e.g. {@code baseline/resize: 9.4x (median 9120 ms / 970 ms)}, or {@code null} without both figures
     */
    static String ratio(Map<String, Stats> stats) {
        Stats resize = stats.get("resize");
        Stats baseline = stats.get("baseline_resize");
        if (resize == null || baseline == null) {
            return null;
        }
        return String.format(Locale.ROOT, "baseline/resize: %.1fx (median %d ms / %d ms)",
                (double) baseline.medianMillis() / resize.medianMillis(), baseline.medianMillis(),
                resize.medianMillis());
    }

    /**
     * @param variant a variant name
     * @return what it is, for the tables
     */
    static String label(String variant) {
        return switch (variant) {
            case "resize" -> "resize, image layout, 2 CPUs";
            case "resize_1cpu" -> "resize, image layout, pinned to 1 CPU (taskset -c 0)";
            case "status" -> "status, image layout, 2 CPUs";
            case "minio_source" -> "minio-source, image layout, 2 CPUs";
            case "baseline_resize" -> "baseline: resize fat jar, untuned, 2 CPUs";
            default -> variant;
        };
    }
}
