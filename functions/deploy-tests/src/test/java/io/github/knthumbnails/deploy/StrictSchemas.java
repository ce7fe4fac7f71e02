package io.github.knthumbnails.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.github.knthumbnails.testsupport.SharedTestData;

/**
 * Validates Kubernetes and Knative objects the way a cluster would reject them, offline, from the schema files
 * in {@code ../shared/schemas} (see its SOURCES.md): the Knative CRDs' {@code openAPIV3Schema}s, the strict
 * Kubernetes JSON schemas (v1.32, {@code additionalProperties: false} throughout) and the {@code func.yaml}
 * schema. JSON Schema validation is networknt's json-schema-validator (draft 4, which OpenAPI v3 schemas follow).
 *
 * <p><b>Strictness.</b> A CRD schema leaves objects open unless told otherwise, but the API server's strict
 * field validation ({@code kubectl apply --validate=strict}, the default since Kubernetes 1.27) rejects a field
 * the schema does not declare wherever the schema is structural and not
 * {@code x-kubernetes-preserve-unknown-fields}. {@link #close} adds {@code additionalProperties: false} exactly
 * there. Knative's admission webhooks go further: they decode into the Go types with unknown fields disallowed,
 * so objects the CRD marks preserve-unknown but whose fields it lists (a Trigger's {@code spec} and
 * {@code delivery}) are closed too, with the Go fields the CRD omits added ({@link #GO_FIELDS_MISSING_FROM_CRDS}).
 * Free-form maps (no {@code properties}: labels, annotations, filter attributes) stay open. CRD {@code metadata}
 * is replaced by the strict Kubernetes {@code ObjectMeta}; {@code apiVersion}, {@code kind} and {@code metadata}
 * are allowed at the root of every object even where a CRD does not list them. The Pod template of a Knative Service is also checked
 * against the strict Kubernetes {@code PodSpec} (Knative's own revision fields removed), since the Knative CRD
 * leaves parts of it open (e.g. {@code affinity}).
 */
final class StrictSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Fields of the Knative Go types (knative/eventing {@code pkg/apis/duck/v1/delivery_types.go}) that the CRD
     * schemas do not list, keyed by the property name of the object that has them.
     */
    static final Map<String, List<String>> GO_FIELDS_MISSING_FROM_CRDS = Map.of(
            "delivery", List.of("timeout", "retryAfterMax"));
    /** RevisionSpec fields that are Knative's, not PodSpec's (knative/serving {@code revision_types.go}). */
    static final Set<String> REVISION_FIELDS = Set.of("containerConcurrency", "timeoutSeconds",
            "responseStartTimeoutSeconds", "idleTimeoutSeconds");

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private final Path schemas;
    private final Map<String, Schema> cache = new HashMap<>();
    private final ObjectNode objectMeta;
    private final ObjectNode labelSelector;
    private final Schema podSpec;

    /** Skips the calling test when {@code ../shared/schemas} is absent (see {@link SharedTestData}). */
    StrictSchemas() {
        this.schemas = SharedTestData.require("schemas");
        ObjectNode deployment = kubernetesSchema("deployment-apps-v1.json");
        this.objectMeta = (ObjectNode) deployment.at("/properties/metadata");
        this.labelSelector = (ObjectNode) deployment.at("/properties/spec/properties/selector");
        this.podSpec = registry.getSchema(deployment.at("/properties/spec/properties/template/properties/spec"));
    }

    /**
     * @param object a Kubernetes object (apiVersion, kind, ...)
     * @return problems found, each {@code "<kind>/<name>: <path>: <message>"}; empty when valid
     * @throws AssertionError if there is no schema for the object's kind
     */
    List<String> validate(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String label = kind + "/" + object.path("metadata").path("name").asText();
        List<String> problems = new ArrayList<>();
        schemaFor(apiVersion, kind).validate(object)
                .forEach(e -> problems.add(label + ": " + e.getInstanceLocation() + ": " + e.getMessage()));
        if ("serving.knative.dev/v1".equals(apiVersion) && "Service".equals(kind)) {
            ObjectNode pod = object.at("/spec/template/spec").deepCopy();
            pod.remove(REVISION_FIELDS);
            knativeProbeDefaults(pod);
            podSpec.validate(pod).forEach(e -> problems.add(label + ": spec.template.spec (as a Kubernetes PodSpec): "
                    + e.getInstanceLocation() + ": " + e.getMessage()));
        }
        return problems;
    }

    /**
     * Knative lets httpGet/tcpSocket probes omit the port and fills in the container's port (knative/serving
     * {@code pkg/apis/serving/k8s_validation.go}, contracts.md §5.4); do the same before the PodSpec check.
     */
    private static void knativeProbeDefaults(ObjectNode pod) {
        for (JsonNode container : pod.path("containers")) {
            int port = container.path("ports").path(0).path("containerPort").asInt(8080);
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                for (String handler : List.of("httpGet", "tcpSocket")) {
                    if (container.path(probe).get(handler) instanceof ObjectNode h && !h.has("port")) {
                        h.put("port", port);
                    }
                }
            }
        }
    }

    /**
     * @param funcYaml a parsed {@code func.yaml}
     * @return problems found against knative/func's schema; empty when valid
     */
    List<String> validateFunc(JsonNode funcYaml) {
        Schema schema = cache.computeIfAbsent("func", k -> registry.getSchema(read(schemas.resolve(
                "func/func_yaml-schema.json"))));
        List<String> problems = new ArrayList<>();
        schema.validate(funcYaml).forEach(e -> problems.add("kn-func.yaml: " + e.getInstanceLocation() + ": "
                + e.getMessage()));
        return problems;
    }

    private Schema schemaFor(String apiVersion, String kind) {
        return cache.computeIfAbsent(apiVersion + "/" + kind, key -> {
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            ObjectNode schema = group.endsWith("knative.dev") ? crdSchema(group, version, kind)
                    : "networking.k8s.io/v1/NetworkPolicy".equals(key) ? networkPolicySchema()
                    : kubernetesSchema(kind.toLowerCase(Locale.ROOT)
                            + (group.isEmpty() ? "" : "-" + group.split("\\.")[0]) + "-" + version + ".json");
            return registry.getSchema(schema);
        });
    }

    /**
     * The strict schema of a {@code networking.k8s.io/v1} NetworkPolicy, which {@code ../shared/schemas} does not
     * carry: the structure of k8s.io/api {@code networking/v1/types.go} (NetworkPolicySpec, NetworkPolicyPeer,
     * NetworkPolicyPort, IPBlock; unchanged since Kubernetes 1.25 added {@code endPort} to GA), closed like the
     * other strict schemas, with ObjectMeta and LabelSelector taken from the shared strict Deployment schema.
     */
    private ObjectNode networkPolicySchema() {
        ObjectNode port = closedObject();
        props(port).set("protocol", JSON.createObjectNode().put("type", "string")
                .set("enum", JSON.createArrayNode().add("TCP").add("UDP").add("SCTP")));
        props(port).set("port", JSON.createObjectNode().set("type",
                JSON.createArrayNode().add("string").add("integer")));
        props(port).set("endPort", JSON.createObjectNode().put("type", "integer"));
        ObjectNode ipBlock = closedObject();
        props(ipBlock).set("cidr", JSON.createObjectNode().put("type", "string"));
        props(ipBlock).set("except", array(JSON.createObjectNode().put("type", "string")));
        ipBlock.set("required", JSON.createArrayNode().add("cidr"));
        ObjectNode peer = closedObject();
        props(peer).set("podSelector", labelSelector.deepCopy());
        props(peer).set("namespaceSelector", labelSelector.deepCopy());
        props(peer).set("ipBlock", ipBlock);
        ObjectNode ingress = closedObject();
        props(ingress).set("from", array(peer));
        props(ingress).set("ports", array(port));
        ObjectNode egress = closedObject();
        props(egress).set("to", array(peer.deepCopy()));
        props(egress).set("ports", array(port.deepCopy()));
        ObjectNode spec = closedObject();
        props(spec).set("podSelector", labelSelector.deepCopy());
        props(spec).set("policyTypes", array(JSON.createObjectNode().put("type", "string")
                .set("enum", JSON.createArrayNode().add("Ingress").add("Egress"))));
        props(spec).set("ingress", array(ingress));
        props(spec).set("egress", array(egress));
        spec.set("required", JSON.createArrayNode().add("podSelector"));
        ObjectNode root = closedObject();
        props(root).set("apiVersion", JSON.createObjectNode().put("type", "string")
                .set("enum", JSON.createArrayNode().add("networking.k8s.io/v1")));
        props(root).set("kind", JSON.createObjectNode().put("type", "string")
                .set("enum", JSON.createArrayNode().add("NetworkPolicy")));
        props(root).set("metadata", objectMeta.deepCopy());
        props(root).set("spec", spec);
        root.set("required", JSON.createArrayNode().add("spec"));
        return root;
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    private static ObjectNode closedObject() {
        ObjectNode o = JSON.createObjectNode().put("type", "object");
        o.putObject("properties");
        o.put("additionalProperties", false);
        return o;
    }

    private static ObjectNode array(ObjectNode items) {
        ObjectNode a = JSON.createObjectNode().put("type", "array");
        a.set("items", items);
        return a;
    }

    private ObjectNode kubernetesSchema(String file) {
        Path path = schemas.resolve("kubernetes/v1.32.2-standalone-strict").resolve(file);
        if (!Files.exists(path)) {
            throw new AssertionError("no strict Kubernetes schema " + path + ": add it to ../shared/schemas");
        }
        ObjectNode schema = (ObjectNode) read(path);
        schema.remove("$schema");
        return schema;
    }

    private ObjectNode crdSchema(String group, String version, String kind) {
        try (Stream<Path> files = Files.walk(schemas)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (ObjectNode crd : Manifests.parse(Files.readString(file))) {
                    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())
                            || !group.equals(crd.at("/spec/group").asText())
                            || !kind.equals(crd.at("/spec/names/kind").asText())) {
                        continue;
                    }
                    for (JsonNode v : crd.at("/spec/versions")) {
                        if (version.equals(v.path("name").asText()) && v.path("served").asBoolean()) {
                            ObjectNode schema = v.at("/schema/openAPIV3Schema").deepCopy();
                            close(schema, "");
                            if (schema.at("/properties/spec/properties/filters/items") instanceof ObjectNode filter) {
                                nestFilters(filter, filter.deepCopy(), FILTER_NESTING);
                            }
                            return schema;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no CRD serving " + group + "/" + version + " " + kind + " in " + schemas);
    }

    /** How deep nested Trigger filters ({@code any}/{@code all}/{@code not}) are checked. */
    private static final int FILTER_NESTING = 4;

    /**
     * Closes a CRD schema in place as described in the class comment.
     *
     * @param schema a schema node
     * @param name   the property name it belongs to ({@code ""} at the root)
     */
    void close(ObjectNode schema, String name) {
        ObjectNode properties = schema.get("properties") instanceof ObjectNode p ? p : null;
        if (properties != null) {
            if (name.isEmpty()) {
                // Every object has these; some CRDs list only spec and status.
                properties.putIfAbsent("apiVersion", JSON.createObjectNode().put("type", "string"));
                properties.putIfAbsent("kind", JSON.createObjectNode().put("type", "string"));
                properties.putIfAbsent("metadata", JSON.createObjectNode());
            }
            if (properties.get("metadata") instanceof ObjectNode) {
                properties.set("metadata", objectMeta.deepCopy());
            }
            GO_FIELDS_MISSING_FROM_CRDS.getOrDefault(name, List.of())
                    .forEach(field -> properties.putIfAbsent(field, JSON.createObjectNode().put("type", "string")));
            if (!schema.has("additionalProperties")) {
                schema.put("additionalProperties", false);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                if (!p.getKey().equals("metadata") && p.getValue() instanceof ObjectNode child) {
                    close(child, p.getKey());
                }
            }
        }
        if (schema.get("items") instanceof ObjectNode items) {
            close(items, name);
        }
        if (schema.get("additionalProperties") instanceof ObjectNode values) {
            close(values, name);
        }
        for (String combiner : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(combiner).forEach(s -> {
                if (s instanceof ObjectNode o) {
                    close(o, name);
                }
            });
        }
    }

    /**
     * A Trigger's {@code any}, {@code all} and {@code not} hold filters again, which Knative's webhook parses as
     * strictly as the top level (a misspelt dialect is rejected at apply time), but the CRD leaves them open.
     * Gives them the closed filter schema, {@code depth} levels deep; deeper levels stay open.
     */
    private static void nestFilters(ObjectNode filter, ObjectNode closedFilter, int depth) {
        if (depth == 0 || !(filter.get("properties") instanceof ObjectNode properties)) {
            return;
        }
        ObjectNode inner = closedFilter.deepCopy();
        nestFilters(inner, closedFilter, depth - 1);
        for (String list : List.of("any", "all")) {
            if (properties.get(list) instanceof ObjectNode dialect) {
                dialect.set("items", inner.deepCopy());
            }
        }
        if (properties.has("not")) {
            properties.set("not", inner.deepCopy());
        }
    }

    private static JsonNode read(Path path) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
