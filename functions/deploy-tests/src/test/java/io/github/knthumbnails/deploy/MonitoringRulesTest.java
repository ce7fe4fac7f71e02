package io.github.knthumbnails.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * knative/monitoring/prometheusrule.yaml: promtool accepts its rules and its unit tests pass (burn-rate page on
 * a failure burst, none for users' corrupt files, stall alert with resize absent, dead letters, cold start), a
 * seeded mistake fails those unit tests, and every expression queries only known metrics.
 */
class MonitoringRulesTest {

    private static final String BAD_FAILURES = "error_type=~\"deadline_exceeded|key_conflict\"";

    /** @return the names the PrometheusRule records */
    static Set<String> recorded() {
        return Promtool.rules(Promtool.prometheusRule()).stream().filter(r -> r.has("record"))
                .map(r -> r.get("record").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void promtoolAcceptsTheRulesAndTheirTemplates(@TempDir Path dir) throws Exception {
        ExternalTool.Result result = Promtool.checkRules(dir, Promtool.ruleFile(Promtool.prometheusRule(), true));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 20 rules found");
    }

    @Test
    void promtoolCatchesASeededSyntaxError(@TempDir Path dir) throws Exception {
        ObjectNode rule = Promtool.prometheusRule();
        ObjectNode first = Promtool.rules(rule).get(0);
        first.put("expr", first.get("expr").asText().replace("[5m]", "[5m"));

        ExternalTool.Result result = Promtool.checkRules(dir, Promtool.ruleFile(rule, true));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
    }

    @Test
    void theUnitTestsPass(@TempDir Path dir) throws Exception {
        ExternalTool.Result result = Promtool.testRules(dir, Promtool.ruleFile(Promtool.prometheusRule(), false));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void countingCorruptFilesAgainstTheSloFailsTheUnitTests(@TempDir Path dir) throws Exception {
        ObjectNode rule = Promtool.prometheusRule();
        Promtool.rules(rule).stream().filter(r -> r.path("record").asText().startsWith("thumbnails:jobs_bad:"))
                .forEach(r -> r.put("expr", r.get("expr").asText()
                        .replace(BAD_FAILURES, "error_type=~\"deadline_exceeded|key_conflict|corrupt\"")));

        ExternalTool.Result result = Promtool.testRules(dir, Promtool.ruleFile(rule, false));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("alertname: ThumbnailJobsErrorBudgetBurnFast, time: 2h");
    }

    @Test
    void aStallRuleThatNeedsResizeSeriesFailsTheUnitTests(@TempDir Path dir) throws Exception {
        ObjectNode rule = Promtool.prometheusRule();
        ObjectNode finished = record(rule, "thumbnails:jobs_finished:seen15m");
        // Without "or vector(0)" an absent resize makes the comparison empty, and the alert silent.
        finished.put("expr", "sum(increase(thumbnails_jobs_total[15m]))");

        ExternalTool.Result result = Promtool.testRules(dir, Promtool.ruleFile(rule, false));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("alertname: ThumbnailPipelineStalled, time: 25m");
    }

    @Test
    void increaseAloneMissesPodsThatLivedForOneScrape(@TempDir Path dir) throws Exception {
        ObjectNode rule = Promtool.prometheusRule();
        record(rule, "thumbnails:jobs_finished:seen15m").put("expr",
                "sum(increase(thumbnails_jobs_total[15m])) or vector(0)");
        record(rule, "thumbnails:dead_letters:seen15m").put("expr",
                "sum(increase(thumbnails_dead_letters_total[15m])) or vector(0)");

        ExternalTool.Result result = Promtool.testRules(dir, Promtool.ruleFile(rule, false));

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("alertname: ThumbnailPipelineStalled, time: 20m")
                .contains("alertname: DeadLettersArriving, time: 25m");
    }

    @Test
    void theBurnRateAlertsFollowTheSreWorkbook() {
        Map<String, String> alerts = alertExprs();

        assertThat(alerts).containsOnlyKeys("ThumbnailJobsErrorBudgetBurnFast", "ThumbnailJobsErrorBudgetBurnSlow",
                "ThumbnailPipelineStalled", "SlowColdStart", "DeadLettersArriving");
        assertThat(alerts.get("ThumbnailJobsErrorBudgetBurnFast")).contains("rate1h > (14.4 * 0.005)")
                .contains("rate5m > (14.4 * 0.005)");
        assertThat(alerts.get("ThumbnailJobsErrorBudgetBurnSlow")).contains("rate6h > (6 * 0.005)")
                .contains("rate30m > (6 * 0.005)");
        Promtool.rules(Promtool.prometheusRule()).stream().filter(r -> r.path("record").asText()
                .startsWith("thumbnails:jobs_bad:")).forEach(r -> assertThat(r.get("expr").asText())
                .contains("outcome=\"error\"").contains("outcome=\"failed\"," + BAD_FAILURES));
    }

    @Test
    void everyAlertHasASeverityAndSaysWhatToDo() {
        for (ObjectNode rule : Promtool.rules(Promtool.prometheusRule())) {
            if (rule.has("alert")) {
                String name = rule.get("alert").asText();
                assertThat(rule.at("/labels/severity").asText()).as(name).isIn("critical", "warning");
                for (String annotation : List.of("summary", "description", "runbook")) {
                    assertThat(rule.at("/annotations/" + annotation).asText()).as(name + " " + annotation)
                            .hasSizeGreaterThan(20);
                }
            }
        }
    }

    @Test
    void everyExpressionQueriesOnlyKnownMetrics() {
        Set<String> recorded = recorded();
        for (ObjectNode rule : Promtool.rules(Promtool.prometheusRule())) {
            Set<String> names = PromQl.metricNames(rule.get("expr").asText());
            assertThat(names).as(rule.toString()).isNotEmpty()
                    .allSatisfy(n -> assertThat(PromQl.known(n, recorded)).as(n).isTrue());
        }
    }

    @Test
    void theMetricNameReaderFindsNamesAndNothingElse() {
        assertThat(PromQl.metricNames("sum by (le, stage) (rate(thumbnails_stage_duration_seconds_bucket"
                + "{stage=~\"decode|resize\", application=\"resize\"}[5m] offset 1h)) / on() group_left(x)"
                + " (thumbnails:jobs:rate5m or vector(0)) > bool 0.5e3 and absent(up)"))
                .containsExactly("thumbnails:jobs:rate5m", "thumbnails_stage_duration_seconds_bucket", "up");
        // A misspelt name is not known.
        assertThat(PromQl.known("thumbnails_job_total", recorded())).isFalse();
    }

    private static Map<String, String> alertExprs() {
        Map<String, String> alerts = new TreeMap<>();
        Promtool.rules(Promtool.prometheusRule()).stream().filter(r -> r.has("alert"))
                .forEach(r -> alerts.put(r.get("alert").asText(), r.get("expr").asText()));
        return alerts;
    }

    private static ObjectNode record(ObjectNode prometheusRule, String name) {
        return Promtool.rules(prometheusRule).stream().filter(r -> name.equals(r.path("record").asText()))
                .findFirst().orElseThrow();
    }
}
