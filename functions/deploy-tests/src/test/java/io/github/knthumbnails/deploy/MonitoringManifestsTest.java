package io.github.knthumbnails.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * knative/monitoring/: every YAML parses; the overlay renders, stays opt-in (not in knative/'s kustomization) and
 * its Kubernetes objects are schema-valid; the PodMonitor, the collector and Knative's config-observability agree
 * with the functions' manifests and with each other.
 */
class MonitoringManifestsTest {

    private static final String DIR = "knative/monitoring";
    /** The config-observability keys this overlay may set (knative.dev/pkg observability/tracing, /metrics). */
    private static final Set<String> KNATIVE_KEYS = Set.of("tracing-protocol", "tracing-endpoint",
            "tracing-sampling-rate", "metrics-protocol", "metrics-endpoint", "metrics-export-interval");

    private static List<ObjectNode> rendered() throws IOException {
        return Manifests.kustomize(DIR);
    }

    private static ObjectNode collectorConfig() throws IOException {
        ObjectNode map = Manifests.find(Manifests.file(DIR + "/otel-collector.yaml"), "ConfigMap",
                "otel-collector-config").orElseThrow();
        return Manifests.parse(map.at("/data/collector.yaml").asText()).get(0);
    }

    /** @return the names of the Knative Services the project deploys */
    private static Set<String> knativeServices() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : Manifests.yamlFiles("knative")) {
            Manifests.file(Manifests.root().relativize(file).toString()).stream()
                    .filter(d -> "serving.knative.dev/v1".equals(d.path("apiVersion").asText()))
                    .forEach(d -> names.add(d.at("/metadata/name").asText()));
        }
        return names;
    }

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Manifests.root().resolve(DIR))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        for (Path file : files) {
            List<ObjectNode> docs = Manifests.parse(Files.readString(file));
            assertThat(docs).as(file.toString()).isNotEmpty()
                    .allSatisfy(d -> assertThat(d.path("kind").asText()).as(file.toString()).isNotBlank());
        }
    }

    @Test
    void theOverlayRendersIntoTheNamespaceAndStaysOptIn() throws IOException {
        List<ObjectNode> docs = rendered();
        List<String> kinds = docs.stream().map(d -> d.path("kind").asText()).sorted().toList();

        assertThat(kinds).containsExactly("ConfigMap", "ConfigMap", "Deployment", "NetworkPolicy", "NetworkPolicy",
                "PodMonitor", "PodMonitor", "PrometheusRule", "Service");
        assertThat(docs).allSatisfy(d -> assertThat(d.at("/metadata/namespace").asText()).isEqualTo("thumbnails"));
        // Needs the Prometheus Operator's CRDs: never part of the default deployment.
        assertThat(Manifests.file("knative/kustomization.yaml").get(0).path("resources").toString())
                .doesNotContain("monitoring");
        // Patches Knative's own namespaces: applied on its own, never moved into ours by the overlay.
        assertThat(Manifests.file(DIR + "/kustomization.yaml").get(0).path("resources").toString())
                .doesNotContain("config-observability");
    }

    @Test
    void theDashboardIsAConfigMapForGrafanasSidecar() throws IOException {
        ObjectNode map = Manifests.find(rendered(), "ConfigMap", "thumbnails-grafana-dashboard").orElseThrow();

        assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(map.at("/data/grafana-dashboard.json").asText())
                .isEqualTo(Files.readString(Manifests.root().resolve(DIR + "/grafana-dashboard.json")));
    }

    @Test
    void theKubernetesObjectsAreSchemaValid() throws IOException {
        StrictSchemas schemas = new StrictSchemas();
        List<ObjectNode> docs = new ArrayList<>(rendered());
        docs.addAll(Manifests.file(DIR + "/config-observability.yaml"));
        List<String> problems = new ArrayList<>();
        docs.stream().filter(d -> !d.path("apiVersion").asText().startsWith("monitoring.coreos.com/"))
                .forEach(d -> problems.addAll(schemas.validate(d)));

        assertThat(problems).isEmpty();
    }

    @Test
    void thePodMonitorScrapesEveryFunctionOnItsUserPort() throws IOException {
        ObjectNode monitor = Manifests.find(rendered(), "PodMonitor", "thumbnails-functions").orElseThrow();
        JsonNode expression = monitor.at("/spec/selector/matchExpressions/0");
        Set<String> selected = new TreeSet<>();
        expression.path("values").forEach(v -> selected.add(v.asText()));

        assertThat(expression.path("key").asText()).isEqualTo("serving.knative.dev/service");
        // All but the public status Service, which serves no metrics on its public route (StatusRoutes.PUBLIC).
        Set<String> scrapeable = new TreeSet<>(knativeServices());
        scrapeable.remove("status");
        assertThat(selected).isEqualTo(scrapeable);
        // Knative names the user container's port "user-port" in the pod, whatever the Service calls it.
        assertThat(monitor.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("user-port");
        assertThat(monitor.at("/spec/podMetricsEndpoints/0/path").asText()).isEqualTo("/actuator/prometheus");

        ObjectNode policy = Manifests.find(rendered(), "NetworkPolicy", "prometheus-scrapes-functions").orElseThrow();
        assertThat(policy.at("/spec/podSelector/matchExpressions/0")).isEqualTo(expression);
        for (String service : selected) {
            ObjectNode ksvc = Manifests.find(Manifests.file("knative/" + service + ".yaml"), "Service", service)
                    .orElseThrow();
            assertThat(ksvc.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).as(service)
                    .isEqualTo(policy.at("/spec/ingress/0/ports/0/port").asInt());
        }
    }

    @Test
    void theCollectorReceivesOtlpAndExportsMetricsAndTraces() throws IOException {
        ObjectNode config = collectorConfig();

        assertThat(config.at("/receivers/otlp/protocols/grpc/endpoint").asText()).isEqualTo("0.0.0.0:4317");
        assertThat(config.at("/receivers/otlp/protocols/http/endpoint").asText()).isEqualTo("0.0.0.0:4318");
        assertThat(config.at("/exporters/prometheus/endpoint").asText()).isEqualTo("0.0.0.0:8889");
        assertThat(config.at("/service/pipelines/metrics/exporters").toString()).contains("prometheus");
        assertThat(config.at("/service/pipelines/traces/exporters").toString()).contains("otlp/traces");
        for (JsonNode pipeline : config.at("/service/pipelines")) {
            assertThat(pipeline.path("processors").toString()).contains("batch").startsWith("[\"memory_limiter\"");
            for (String section : List.of("receivers", "processors", "exporters")) {
                pipeline.path(section).forEach(c -> assertThat(config.path(section).has(c.asText()))
                        .as(section + " " + c.asText() + " is defined").isTrue());
            }
        }
        config.at("/service/extensions").forEach(e -> assertThat(config.path("extensions").has(e.asText())).isTrue());

        List<ObjectNode> docs = rendered();
        Set<Integer> servicePorts = new TreeSet<>();
        Manifests.find(docs, "Service", "otel-collector").orElseThrow().at("/spec/ports")
                .forEach(p -> servicePorts.add(p.path("port").asInt()));
        assertThat(servicePorts).containsExactly(4317, 4318, 8889);
        assertThat(Manifests.find(docs, "Deployment", "otel-collector").orElseThrow()
                .at("/spec/template/spec/containers/0/ports").toString()).contains("\"prom-export\"");
        assertThat(Manifests.find(docs, "PodMonitor", "thumbnails-otel-collector").orElseThrow()
                .at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("prom-export");
    }

    @Test
    void knativeSendsItsSpansAndMetricsToTheCollector() {
        List<ObjectNode> maps = Manifests.file(DIR + "/config-observability.yaml");
        assertThat(maps).extracting(m -> m.at("/metadata/namespace").asText())
                .containsExactly("knative-serving", "knative-eventing");
        for (ObjectNode map : maps) {
            assertThat(problems(map)).isEmpty();
        }
    }

    @Test
    void aMisspeltKeyOrAnEndpointWithoutSchemeIsCaught() {
        ObjectNode map = Manifests.file(DIR + "/config-observability.yaml").get(0);
        ObjectNode data = (ObjectNode) map.get("data");
        data.set("tracing-sample-rate", data.remove("tracing-sampling-rate"));
        data.put("tracing-endpoint", "otel-collector.thumbnails.svc.cluster.local:4318/v1/traces");

        assertThat(problems(map)).anyMatch(p -> p.contains("tracing-sample-rate"))
                .anyMatch(p -> p.contains("tracing-endpoint"));
    }

    /** What Knative (knative.dev/pkg observability) or the collector would make of one config-observability. */
    private static List<String> problems(ObjectNode map) {
        List<String> problems = new ArrayList<>();
        JsonNode data = map.path("data");
        data.fieldNames().forEachRemaining(k -> {
            if (!KNATIVE_KEYS.contains(k)) {
                problems.add("unknown key " + k);
            }
        });
        if (!"http/protobuf".equals(data.path("tracing-protocol").asText())
                || !"http/protobuf".equals(data.path("metrics-protocol").asText())) {
            problems.add("protocols must be http/protobuf, the collector's 4318");
        }
        double rate = data.path("tracing-sampling-rate").asDouble(-1);
        if (rate != 1.0) {
            problems.add("tracing-sampling-rate " + rate + " is not 1");
        }
        checkEndpoint(data, "tracing-endpoint", "/v1/traces", problems);
        checkEndpoint(data, "metrics-endpoint", "/v1/metrics", problems);
        return problems;
    }

    /** Knative takes an endpoint without a scheme as https://; the collector's OTLP/HTTP receiver is plain HTTP. */
    private static void checkEndpoint(JsonNode data, String key, String path, List<String> problems) {
        URI uri = URI.create(data.path(key).asText());
        if (!"http".equals(uri.getScheme()) || !"otel-collector.thumbnails.svc.cluster.local".equals(uri.getHost())
                || uri.getPort() != 4318 || !path.equals(uri.getPath())) {
            problems.add(key + " " + uri + " is not http://otel-collector.thumbnails.svc.cluster.local:4318" + path);
        }
    }
}
