package io.github.knthumbnails.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * knative/backfill-job.yaml (issue 13) runs against the deployment it backfills: resize's image, endpoint, buckets
 * and RENDITIONS (the profile job records are compared with), the status function's read-only MinIO user, the
 * Broker of eventing/ as its sink, and a pod MinIO's NetworkPolicy admits. Each check fails on a seeded mistake.
 */
class BackfillJobTest {

    /** What must be the same in the Job as in resize. */
    private static final List<String> AS_RESIZE = List.of("MINIO_ENDPOINT", "MINIO_REGION", "UPLOAD_BUCKETS",
            "THUMBNAILS_BUCKET", "RENDITIONS");
    /** What must be the same in the Job as in status: its user reads both buckets and writes neither. */
    private static final List<String> AS_STATUS = List.of("MINIO_ACCESS_KEY", "MINIO_SECRET_KEY");

    private ObjectNode job;
    private List<ObjectNode> deployment;

    @BeforeEach
    void load() throws IOException {
        job = Manifests.file("knative/backfill-job.yaml").get(0);
        deployment = Manifests.copy(Manifests.deployment());
    }

    /** @return every mismatch between the Job and the deployment, as a readable line */
    private List<String> problems() {
        List<String> problems = new ArrayList<>();
        ObjectNode resize = Manifests.find(deployment, "Service", "resize").orElseThrow();
        JsonNode resizeContainer = resize.at("/spec/template/spec/containers/0");
        JsonNode container = job.at("/spec/template/spec/containers/0");
        if (!container.path("image").equals(resizeContainer.path("image"))) {
            problems.add("image " + container.path("image") + " is not resize's " + resizeContainer.path("image"));
        }
        Map<String, JsonNode> env = env(container);
        same(problems, env, "resize", AS_RESIZE);
        same(problems, env, "status", AS_STATUS);
        ObjectNode broker = Manifests.find(deployment, "Broker", "default").orElseThrow();
        String sink = "http://broker-ingress.knative-eventing.svc.cluster.local/"
                + broker.at("/metadata/namespace").asText() + "/" + broker.at("/metadata/name").asText();
        if (!env.containsKey("K_SINK") || !sink.equals(env.get("K_SINK").asText())) {
            problems.add("K_SINK is " + env.get("K_SINK") + ", the Broker's ingress is " + sink);
        }
        String label = job.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText();
        ObjectNode minioPolicy = Manifests.find(deployment, "NetworkPolicy", "minio").orElseThrow();
        if (!minioPolicy.at("/spec/ingress").toString().contains("\"" + label + "\"")) {
            problems.add("MinIO's NetworkPolicy does not admit pods labelled app.kubernetes.io/name=" + label);
        }
        if (!"Never".equals(job.at("/spec/template/spec/restartPolicy").asText())) {
            problems.add("restartPolicy must be Never: a failed run is retried by a new pod (backoffLimit)");
        }
        return problems;
    }

    private void same(List<String> problems, Map<String, JsonNode> env, String service, List<String> names) {
        Map<String, JsonNode> theirs = env(Manifests.find(deployment, "Service", service).orElseThrow()
                .at("/spec/template/spec/containers/0"));
        for (String name : names) {
            if (!theirs.containsKey(name) || !theirs.get(name).equals(env.get(name))) {
                problems.add(name + " is " + env.get(name) + ", " + service + " has " + theirs.get(name));
            }
        }
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new TreeMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.has("value") ? e.path("value")
                : e.path("valueFrom")));
        return env;
    }

    private ObjectNode envEntry(String service, String name) {
        for (JsonNode e : Manifests.find(deployment, "Service", service).orElseThrow()
                .at("/spec/template/spec/containers/0/env")) {
            if (name.equals(e.path("name").asText())) {
                return (ObjectNode) e;
            }
        }
        throw new AssertionError(service + " has no " + name);
    }

    @Test
    void theJobBackfillsTheDeploymentItRunsIn() {
        assertThat(problems()).isEmpty();
        assertThat(job.at("/spec/template/spec/containers/0/command").toString())
                .contains("io.github.knthumbnails.backfill.BackfillMain");
    }

    @Test
    void aRenditionsChangeMadeInResizeAloneIsCaught() {
        envEntry("resize", "RENDITIONS").put("value", "thumb:100x100:cover:80,grey:100x100:cover:80:grayscale");
        assertThat(problems()).singleElement().asString().startsWith("RENDITIONS is");
    }

    @Test
    void anotherMinioUserOrImageIsCaught() {
        ((ObjectNode) envEntry("status", "MINIO_ACCESS_KEY").at("/valueFrom/secretKeyRef")).put("key", "resize-access-key");
        ((ObjectNode) Manifests.find(deployment, "Service", "resize").orElseThrow()
                .at("/spec/template/spec/containers/0")).put("image", "kind.local/thumbnails-resize:0.2.0");
        assertThat(problems()).hasSize(2);
    }

    @Test
    void aPodMinioDoesNotAdmitIsCaught() {
        ((ObjectNode) job.at("/spec/template/metadata/labels")).put("app.kubernetes.io/name", "backfill");
        assertThat(problems()).singleElement().asString().contains("does not admit");
    }
}
