package io.github.knthumbnails.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * knative/monitoring/grafana-dashboard.json: valid JSON with a datasource variable; every query is PromQL that
 * promtool accepts (Grafana's interval variables replaced by durations) and selects only known metrics; the
 * panels the issue asks for are there. There is no official schema for dashboard JSON, hence these checks.
 */
class DashboardTest {

    private static final String DASHBOARD = "knative/monitoring/grafana-dashboard.json";

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Files.readString(Manifests.root().resolve(DASHBOARD)));
    }

    /** @return record name (panel id and refId) to the query, variables substituted */
    private static Map<String, String> queries(JsonNode dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("dashboard:panel_" + panel.path("id").asInt() + ":" + target.path("refId").asText(),
                        PromQl.withoutGrafanaVariables(target.path("expr").asText()));
            }
        }
        return queries;
    }

    @Test
    void everyPanelQueriesTheTemplatedDatasource() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
        assertThat(dashboard.at("/templating/list/0/query").asText()).isEqualTo("prometheus");
        String variable = "${" + dashboard.at("/templating/list/0/name").asText() + "}";
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asText())) {
                assertThat(panel.at("/datasource/uid").asText()).as(panel.path("title").asText()).isEqualTo(variable);
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
                panel.path("targets").forEach(t -> assertThat(t.at("/datasource/uid").asText()).isEqualTo(variable));
            }
        }
        assertThat(dashboard.path("uid").asText()).isNotBlank();
    }

    @Test
    void everyQueryIsPromQlThatPromtoolAccepts(@TempDir Path dir) throws IOException {
        Map<String, String> queries = queries(dashboard());
        assertThat(queries).hasSizeGreaterThan(20);
        assertThat(queries.values()).noneMatch(q -> q.contains("$"));

        ExternalTool.Result result = Promtool.checkRules(dir, Promtool.recordingRules(queries));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void aBrokenQueryIsCaught(@TempDir Path dir) throws IOException {
        Map<String, String> queries = new LinkedHashMap<>(queries(dashboard()));
        queries.put("dashboard:seeded", "histogram_quantile(0.95, sum by (le) (rate(thumbnails_jobs_total[5m]))");

        ExternalTool.Result result = Promtool.checkRules(dir, Promtool.recordingRules(queries));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("dashboard:seeded");
    }

    @Test
    void everyQuerySelectsOnlyKnownMetrics() throws IOException {
        Set<String> recorded = MonitoringRulesTest.recorded();
        List<String> unknown = new ArrayList<>();
        queries(dashboard()).forEach((record, query) -> PromQl.metricNames(query).stream()
                .filter(n -> !PromQl.known(n, recorded)).forEach(n -> unknown.add(record + ": " + n)));

        assertThat(unknown).isEmpty();
    }

    @Test
    void theIssuesPanelsAreThere() throws IOException {
        String all = String.join("\n", queries(dashboard()).values());

        assertThat(all).contains("thumbnails:job_error_ratio:rate1h", "thumbnails_jobs_total",
                "sum by (le, stage) (rate(thumbnails_stage_duration_seconds_bucket",
                "thumbnails_end_to_end_latency_seconds_bucket",
                "sum by (le, operation) (rate(s3_client_operation_seconds_bucket", "thumbnails_jobs_inflight",
                "kn_revision_pods_count", "kn_revision_pods_desired", "application_ready_time_seconds",
                "thumbnails_dead_letters_total", "sum by (outcome, reason) (rate(thumbnails_source_events_total");
        assertThat(all).contains("histogram_quantile(0.5,").contains("histogram_quantile(0.95,");
    }
}
