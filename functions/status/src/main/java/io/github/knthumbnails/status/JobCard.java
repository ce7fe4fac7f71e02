package io.github.knthumbnails.status;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One job as the page at {@code GET /} shows it: the {@link JobView} plus what the template should not compute.
 *
 * @param job       the job, as {@code GET /status} answers it
 * @param id        an HTML id unique to the upload's key ({@code job-} and the key in base64url)
 * @param version   changes whenever what the row shows changes (ETag and status): the page's script keeps a row,
 *                  and its loaded thumbnail, while this stays the same
 * @param thumbnail the smallest rendition by pixel area, shown as the thumbnail; {@code null} unless succeeded
 * @param size      the source size for people, e.g. {@code 2.4 MB} (SI units, as browsers show downloads)
 * @param uploaded  when the source version was written, for people: {@code 2026-12-02 17:05:03 UTC}
 * @param timings   the stage timings in the order they ran, each with its share of the total; empty if none
 * @param totalMs   the sum of the stage timings in milliseconds, 0 if none
 */
record JobCard(JobView job, String id, String version, JobView.RenditionView thumbnail, String size,
               String uploaded, List<Stage> timings, double totalMs) {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /**
     * @param name    stage name ({@code fetch}, {@code decode}, ...)
     * @param ms      milliseconds spent in it
     * @param percent its share of the total, 0 to 100
     * @param offset  the share of the stages before it, 0 to 100 (where its bar segment starts)
     */
    record Stage(String name, double ms, double percent, double offset) {
    }

    /**
     * @param job a job as {@link StatusService} answers it
     * @return its card
     */
    static JobCard of(JobView job) {
        JobView.RenditionView thumbnail = job.renditions() == null ? null : job.renditions().stream()
                .min(Comparator.comparingLong(r -> (long) r.width() * r.height())).orElse(null);
        Map<String, Double> timings = job.timingsMs() == null ? Map.of() : job.timingsMs();
        double total = timings.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Stage> stages = new ArrayList<>();
        double offset = 0;
        for (Map.Entry<String, Double> stage : timings.entrySet()) {
            double percent = total > 0 ? 100 * stage.getValue() / total : 0;
            stages.add(new Stage(stage.getKey(), stage.getValue(), percent, offset));
            offset += percent;
        }
        return new JobCard(job, "job-" + JobsQuery.toCursor(job.key()), job.etag() + ":" + job.status(), thumbnail,
                bytes(job.size()), job.uploaded() == null ? "" : UTC.format(job.uploaded()), List.copyOf(stages), total);
    }

    /** @return whether the job may still change without a new upload: {@code pending} or {@code processing} */
    boolean active() {
        return "pending".equals(job.status()) || "processing".equals(job.status());
    }

    /**
     * @param bytes a size in bytes, at least 0
     * @return it in SI units with three significant digits at most: {@code 999 B}, {@code 1.2 kB}, {@code 24 MB}
     */
    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double value = bytes;
        int unit = -1;
        while (value >= 999.5 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, value < 9.95 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }
}
