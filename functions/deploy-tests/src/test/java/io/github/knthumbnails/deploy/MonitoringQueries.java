package io.github.knthumbnails.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The function metrics that {@code knative/monitoring} queries: every metric name in the Grafana dashboard's and
 * the PrometheusRule's expressions, less the names the rule records itself and Knative's own series. Public (this
 * module's test-jar) so that the local stack's end-to-end test can check each of them against what the running
 * functions expose on {@code /actuator/prometheus} (issue 11: the dashboard queries only names the tests saw).
 */
public final class MonitoringQueries {

    private MonitoringQueries() {
    }

    /**
     * @return the queried function metric names, sorted, e.g. {@code thumbnails_jobs_total}
     * @throws UncheckedIOException if the dashboard or the rule cannot be read
     */
    public static Set<String> functionMetricNames() {
        Set<String> recorded = MonitoringRulesTest.recorded();
        Set<String> names = new TreeSet<>();
        Promtool.rules(Promtool.prometheusRule()).forEach(r -> names.addAll(PromQl.metricNames(r.get("expr")
                .asText())));
        try {
            JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Manifests.root()
                    .resolve("knative/monitoring/grafana-dashboard.json")));
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    names.addAll(PromQl.metricNames(PromQl.withoutGrafanaVariables(target.path("expr").asText())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.removeAll(recorded);
        names.removeAll(PromQl.KNATIVE);
        return names;
    }
}
