package io.github.knthumbnails.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every manifest, every rendered kustomization and {@code kn-func.yaml} is valid against the real schemas, with
 * unknown fields rejected ({@link StrictSchemas}) — and a seeded typo in each kind of file is caught.
 */
class SchemaValidationTest {

    private StrictSchemas schemas;

    @BeforeEach
    void load() {
        schemas = new StrictSchemas();
    }

    private List<String> validate(List<ObjectNode> docs) {
        List<String> problems = new ArrayList<>();
        docs.forEach(d -> problems.addAll(schemas.validate(d)));
        return problems;
    }

    @Test
    void everyKnativeAndEventingManifestIsValid() throws Exception {
        List<Path> files = new ArrayList<>(Manifests.yamlFiles("knative"));
        files.addAll(Manifests.yamlFiles("eventing"));
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        for (Path file : files) {
            List<ObjectNode> docs = Manifests.file(Manifests.root().relativize(file).toString());
            assertThat(docs).as(file.toString()).isNotEmpty();
            assertThat(validate(docs)).as(file.toString()).isEmpty();
        }
    }

    @Test
    void everyRenderedKustomizationIsValid() throws Exception {
        for (String kustomization : Manifests.KUSTOMIZATIONS) {
            List<ObjectNode> docs = Manifests.kustomize(kustomization);
            assertThat(docs).as(kustomization).isNotEmpty();
            assertThat(validate(docs)).as(kustomization).isEmpty();
        }
    }

    @Test
    void theDistributedOverlayRunsFourErasureCodedNodes() throws Exception {
        ObjectNode minio = Manifests.find(Manifests.kustomize("minio/overlays/distributed"), "StatefulSet", "minio")
                .orElseThrow();
        assertThat(minio.at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(minio.at("/spec/template/spec/containers/0/args").toString())
                .contains("http://minio-{0...3}.minio-hl.thumbnails.svc.cluster.local/data");
        assertThat(minio.at("/spec/volumeClaimTemplates")).hasSize(2);
    }

    @Test
    void knFuncYamlIsValidAgainstTheFuncSchema() {
        assertThat(schemas.validateFunc(Manifests.file("kn-func.yaml").get(0))).isEmpty();
    }

    // ---- each check fails on a seeded mistake ----

    @Test
    void aTypoInAKnativeServiceFieldIsCaught() {
        ObjectNode resize = Manifests.file("knative/resize.yaml").get(0);
        ObjectNode spec = (ObjectNode) resize.at("/spec/template/spec");
        spec.set("containerConcurency", spec.remove("containerConcurrency"));

        assertThat(schemas.validate(resize)).anyMatch(p -> p.contains("containerConcurency"));
    }

    @Test
    void aTypoInsideTheContainerOfAKnativeServiceIsCaught() {
        ObjectNode resize = Manifests.file("knative/resize.yaml").get(0);
        ObjectNode container = (ObjectNode) resize.at("/spec/template/spec/containers/0");
        container.set("readynessProbe", container.remove("readinessProbe"));

        assertThat(schemas.validate(resize)).anyMatch(p -> p.contains("readynessProbe"));
    }

    @Test
    void aTypoInAnAnnotationBlockOrMetadataIsCaught() {
        ObjectNode resize = Manifests.file("knative/resize.yaml").get(0);
        ObjectNode metadata = (ObjectNode) resize.at("/spec/template/metadata");
        metadata.set("anotations", metadata.remove("annotations"));

        assertThat(schemas.validate(resize)).anyMatch(p -> p.contains("anotations"));
    }

    @Test
    void aTypoInATriggerOrItsDeliveryIsCaughtThoughTheCrdPreservesUnknownFields() {
        ObjectNode trigger = Manifests.file("eventing/trigger-resize.yaml").get(0);
        ObjectNode spec = (ObjectNode) trigger.get("spec");
        spec.set("subscribr", spec.remove("subscriber"));
        ObjectNode delivery = (ObjectNode) spec.get("delivery");
        delivery.set("backofDelay", delivery.remove("backoffDelay"));

        List<String> problems = schemas.validate(trigger);
        assertThat(problems).anyMatch(p -> p.contains("subscribr")).anyMatch(p -> p.contains("backofDelay"));
        // ...while the Go fields the CRD forgets are accepted.
        assertThat(problems).noneMatch(p -> p.contains("timeout"));
    }

    @Test
    void aMisspeltFilterDialectNestedInAnyIsCaught() {
        ObjectNode trigger = Manifests.file("eventing/trigger-resize.yaml").get(0);
        ObjectNode first = (ObjectNode) trigger.at("/spec/filters/0/any/0");
        first.set("exatc", first.remove("exact"));

        assertThat(schemas.validate(trigger)).anyMatch(p -> p.contains("exatc"));
    }

    @Test
    void aWrongTypeInABrokerIsCaught() {
        ObjectNode broker = Manifests.file("eventing/broker.yaml").get(0);
        ((ObjectNode) broker.at("/spec/delivery")).put("retry", "five");

        assertThat(schemas.validate(broker)).anyMatch(p -> p.contains("retry"));
    }

    @Test
    void aTypoInARenderedMinioStatefulSetIsCaught() throws Exception {
        ObjectNode minio = Manifests.find(Manifests.kustomize("minio/overlays/standalone"), "StatefulSet", "minio")
                .orElseThrow();
        ObjectNode container = (ObjectNode) minio.at("/spec/template/spec/containers/0");
        container.set("volumeMount", container.remove("volumeMounts"));

        assertThat(schemas.validate(minio)).anyMatch(p -> p.contains("volumeMount"));
    }

    @Test
    void aTypoInANetworkPolicyIsCaught() {
        ObjectNode policy = Manifests.find(Manifests.file("knative/network-policies.yaml"), "NetworkPolicy",
                "broker-subscribers").orElseThrow();
        assertThat(schemas.validate(policy)).isEmpty();
        ObjectNode peer = (ObjectNode) policy.at("/spec/ingress/0/from/0");
        peer.set("namespaceSelecter", peer.remove("namespaceSelector"));
        ((ArrayNode) policy.at("/spec/policyTypes")).add("ingress");
        ((ObjectNode) policy.at("/spec/podSelector/matchExpressions/0")).put("operater", "In");

        List<String> problems = schemas.validate(policy);
        assertThat(problems).anyMatch(p -> p.contains("namespaceSelecter")).anyMatch(p -> p.contains("policyTypes"))
                .anyMatch(p -> p.contains("operater"));
    }

    @Test
    void aTypoInKnFuncYamlIsCaught() {
        ObjectNode func = Manifests.file("kn-func.yaml").get(0);
        ObjectNode deploy = (ObjectNode) func.get("deploy");
        deploy.set("healthEndpoint", deploy.remove("healthEndpoints"));
        ((ArrayNode) deploy.get("subscriptions")).addObject().put("sorce", "default");

        List<String> problems = schemas.validateFunc(func);
        assertThat(problems).anyMatch(p -> p.contains("healthEndpoint")).anyMatch(p -> p.contains("sorce"));
    }
}
