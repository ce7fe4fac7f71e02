package io.github.knthumbnails.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Prometheus' {@code promtool}, run offline on rule files ({@code check rules}, {@code test rules}); no server.
 * Found through the system property or environment variable {@value #OVERRIDE} (a path), else on {@code PATH}; a
 * missing promtool skips the test, or fails it under {@code THUMBNAILS_REQUIRE_TOOLS=true} ({@link ExternalTool}).
 * Debian's {@code prometheus} package carries it; {@code .ci/run} unpacks it without installing the server.
 */
final class Promtool {

    /** System property / environment variable with promtool's path. */
    static final String OVERRIDE = "PROMTOOL";
    /** The PrometheusRule the rules come from. */
    static final String RULE_FILE = "knative/monitoring/prometheusrule.yaml";
    /** The promtool unit tests of those rules (a test resource; it names its rules file {@code rules.yaml}). */
    static final String UNIT_TESTS = "/monitoring/prometheusrule-test.yaml";

    private Promtool() {
    }

    /** @return the command to run promtool with (skips or fails when there is none) */
    static String command() {
        return ExternalTool.locate("promtool",
                OVERRIDE, "apt-get download prometheus && dpkg -x prometheus_*.deb DIR gives DIR/usr/bin/promtool");
    }

    /** @return the PrometheusRule's document */
    static ObjectNode prometheusRule() {
        return Manifests.file(RULE_FILE).get(0);
    }

    /**
     * @param prometheusRule a PrometheusRule
     * @param annotations    whether to keep the alerts' annotations (promtool test compares them verbatim; the
     *                       unit tests check behaviour, not wording, so they run without)
     * @return a Prometheus rule file: {@code {groups: spec.groups}}
     */
    static ObjectNode ruleFile(ObjectNode prometheusRule, boolean annotations) {
        ObjectNode file = Manifests.YAML.createObjectNode();
        ArrayNode groups = prometheusRule.at("/spec/groups").deepCopy();
        if (!annotations) {
            groups.forEach(g -> g.path("rules").forEach(r -> ((ObjectNode) r).remove("annotations")));
        }
        file.set("groups", groups);
        return file;
    }

    /**
     * A rule file that records each expression under its own name, so {@code check rules} parses them all.
     *
     * @param exprs record name to PromQL expression
     * @return the rule file
     */
    static ObjectNode recordingRules(Map<String, String> exprs) {
        ObjectNode file = Manifests.YAML.createObjectNode();
        ArrayNode rules = file.putArray("groups").addObject().put("name", "extracted").putArray("rules");
        exprs.forEach((record, expr) -> rules.addObject().put("record", record).put("expr", expr));
        return file;
    }

    /**
     * Runs {@code promtool check rules} on a rule file.
     *
     * @param dir      a scratch directory
     * @param ruleFile the rules
     * @return exit code and output
     */
    static ExternalTool.Result checkRules(Path dir, JsonNode ruleFile) throws IOException {
        String promtool = command();
        Path rules = write(dir.resolve("check.yaml"), ruleFile);
        return ExternalTool.run(dir, List.of(), promtool, "check", "rules", rules.toString());
    }

    /**
     * Runs {@code promtool test rules} with the unit tests in {@value #UNIT_TESTS} against a rule file.
     *
     * @param dir      a scratch directory
     * @param ruleFile the rules under test, written as {@code rules.yaml} beside a copy of the unit tests
     * @return exit code and output
     */
    static ExternalTool.Result testRules(Path dir, JsonNode ruleFile) throws IOException {
        String promtool = command();
        write(dir.resolve("rules.yaml"), ruleFile);
        Path tests = dir.resolve("prometheusrule-test.yaml");
        Files.copy(unitTests(), tests, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return ExternalTool.run(dir, List.of(), promtool, "test", "rules", tests.toString());
    }

    /** @return the unit-test file on the test class path */
    static Path unitTests() {
        try {
            return Path.of(Promtool.class.getResource(UNIT_TESTS).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param prometheusRule a PrometheusRule
     * @return every rule of every group, in order
     */
    static List<ObjectNode> rules(ObjectNode prometheusRule) {
        List<ObjectNode> rules = new ArrayList<>();
        prometheusRule.at("/spec/groups").forEach(g -> g.path("rules").forEach(r -> rules.add((ObjectNode) r)));
        return rules;
    }

    private static Path write(Path path, JsonNode content) {
        try {
            Files.writeString(path, Manifests.YAML.writeValueAsString(content));
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
