package io.github.knthumbnails.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the monitoring manifests may query: the Prometheus series the functions expose (issue 11's telemetry
 * contract), Knative's own, and the names the PrometheusRule records; and a light PromQL reader that finds the
 * metric names an expression selects. Syntax itself is promtool's job ({@link Promtool}); this only has to tell
 * metric names from functions, keywords, label names and durations.
 */
final class PromQl {

    /**
     * The Prometheus series of issue 11's telemetry contract (its "Metrics" table), copied by hand.
     * To be replaced by the names observed on the running functions' {@code /actuator/prometheus}.
     */
    static final Set<String> CONTRACT = Set.of(
            "thumbnails_source_events_total",
            "thumbnails_events_received_total",
            "thumbnails_jobs_total",
            "thumbnails_job_duration_seconds_bucket", "thumbnails_job_duration_seconds_sum",
            "thumbnails_job_duration_seconds_count",
            "thumbnails_end_to_end_latency_seconds_bucket", "thumbnails_end_to_end_latency_seconds_sum",
            "thumbnails_end_to_end_latency_seconds_count",
            "thumbnails_stage_duration_seconds_bucket", "thumbnails_stage_duration_seconds_sum",
            "thumbnails_stage_duration_seconds_count",
            "thumbnails_source_size_bytes_bucket", "thumbnails_source_size_bytes_sum",
            "thumbnails_source_size_bytes_count",
            "thumbnails_jobs_inflight",
            "s3_client_operation_seconds_bucket", "s3_client_operation_seconds_sum",
            "s3_client_operation_seconds_count",
            "thumbnails_dead_letters_total",
            "application_ready_time_seconds",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum");

    /**
     * Knative Serving's autoscaler metrics in Prometheus form: the OpenTelemetry names of Knative >= 1.19
     * (knative/serving pkg/autoscaler/metrics: {@code kn.revision.pods.count} etc.) and the older OpenCensus ones
     * the contract also lists.
     */
    static final Set<String> KNATIVE = Set.of(
            "kn_revision_pods_count", "kn_revision_pods_desired", "kn_revision_pods_requested",
            "kn_revision_pods_not_ready_count", "kn_revision_pods_pending_count",
            "kn_revision_pods_terminating_count", "kn_revision_panic_mode",
            "autoscaler_desired_pods", "autoscaler_actual_pods");

    /** Grafana's built-in interval variables and what they become for promtool. */
    static final Map<String, String> GRAFANA_VARIABLES = Map.of(
            "$__rate_interval", "5m", "$__interval", "1m", "$__range", "1h");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:$])[a-zA-Z_:][\\w:]*");

    private PromQl() {
    }

    /**
     * @param expr a PromQL expression (Grafana variables already substituted)
     * @return the metric names it selects, sorted
     */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            boolean call = s.substring(m.end()).stripLeading().startsWith("(");
            if (!call && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * @param expr     a Grafana panel's query
     * @return it with Grafana's interval variables replaced by durations promtool accepts
     */
    static String withoutGrafanaVariables(String expr) {
        String s = expr;
        for (Map.Entry<String, String> v : GRAFANA_VARIABLES.entrySet()) {
            s = s.replace("${" + v.getKey().substring(1) + "}", v.getValue()).replace(v.getKey(), v.getValue());
        }
        return s;
    }

    /**
     * @param name     a metric name
     * @param recorded the names the PrometheusRule records
     * @return whether the name is the contract's, Knative's or recorded
     */
    static boolean known(String name, Set<String> recorded) {
        return CONTRACT.contains(name) || KNATIVE.contains(name) || recorded.contains(name);
    }
}
