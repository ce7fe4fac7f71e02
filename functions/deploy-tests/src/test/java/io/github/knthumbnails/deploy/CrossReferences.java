package io.github.knthumbnails.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks that the deployment's pieces agree with each other and with the functions' code — what no schema can
 * see. {@link #all()} runs every check of {@link EventRouting}, {@link FunctionEnvironment}, {@link MinioWiring},
 * {@link ScalingRules} and {@link TrustBoundary} and returns their readable problems; an empty list means the
 * deployment holds together. The static helpers here are the manifest look-ups those checks share.
 *
 * @param docs the rendered deployment (minio standalone, eventing, knative)
 * @param func the parsed kn-func.yaml
 * @param secretKeys the keys of the credentials Secret (minio/credentials.example.env)
 */
record CrossReferences(List<ObjectNode> docs, ObjectNode func, Set<String> secretKeys) {

    static final String KNATIVE_SERVICE = "serving.knative.dev/v1";
    static final String SECRET = "thumbnails-credentials";
    /** A kn-func.yaml value that comes from a Secret: {@code {{ secret:<name>:<key> }}}. */
    static final Pattern FUNC_SECRET = Pattern.compile("\\{\\{\\s*secret:([^:}\\s]+):([^}\\s]+)\\s*}}");

    /** @return every problem of every check */
    List<String> all() {
        List<String> problems = new ArrayList<>();
        EventRouting routing = new EventRouting(docs, func);
        problems.addAll(routing.destinations());
        problems.addAll(routing.sinkBinding());
        FunctionEnvironment environment = new FunctionEnvironment(docs, func, secretKeys);
        problems.addAll(environment.secrets());
        problems.addAll(environment.environment());
        MinioWiring minio = new MinioWiring(docs, func);
        problems.addAll(minio.wiring());
        problems.addAll(minio.browserUploads());
        problems.addAll(routing.triggerFilters());
        problems.addAll(new ScalingRules(docs, func).scaling());
        TrustBoundary boundary = new TrustBoundary(docs, func);
        problems.addAll(boundary.deadLetterRoutes());
        problems.addAll(boundary.minioUsers());
        problems.addAll(boundary.networkPolicies());
        return problems;
    }

    /**
     * @param list a container's {@code env} list, or kn-func.yaml's {@code run.envs}
     * @return env var name to literal value ({@code null} when it comes from a Secret)
     */
    static Map<String, String> env(JsonNode list) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : list) {
            env.put(e.path("name").asText(), e.has("value") && !FUNC_SECRET.matcher(e.path("value").asText()).matches()
                    ? e.path("value").asText() : null);
        }
        return env;
    }

    /**
     * @param workload a Knative Service, StatefulSet or Job
     * @return the {@link #env} of its first container
     */
    static Map<String, String> containerEnv(JsonNode workload) {
        return env(workload.at("/spec/template/spec/containers/0/env"));
    }

    /**
     * @param docs      the rendered deployment
     * @param reference an object reference: a node with {@code apiVersion}, {@code kind} and {@code name}
     * @return the document it names
     */
    static Optional<ObjectNode> lookup(List<ObjectNode> docs, JsonNode reference) {
        String apiVersion = reference.path("apiVersion").asText();
        String kind = reference.path("kind").asText();
        String name = reference.path("name").asText();
        return docs.stream().filter(d -> apiVersion.equals(d.path("apiVersion").asText()))
                .filter(d -> kind.equals(d.path("kind").asText())).filter(d -> name.equals(name(d))).findFirst();
    }

    /**
     * @param docs the rendered deployment
     * @return its Knative Services (not the Kubernetes Services of the same kind name)
     */
    static List<ObjectNode> knativeServices(List<ObjectNode> docs) {
        return docs.stream().filter(d -> "Service".equals(d.path("kind").asText()))
                .filter(d -> KNATIVE_SERVICE.equals(d.path("apiVersion").asText())).toList();
    }

    /**
     * @param docs the rendered deployment
     * @param name a Knative Service name
     * @return that Knative Service
     */
    static Optional<ObjectNode> knativeService(List<ObjectNode> docs, String name) {
        return knativeServices(docs).stream().filter(s -> name.equals(name(s))).findFirst();
    }

    /**
     * @param docs the rendered deployment
     * @param kind a kind
     * @return its documents of that kind, in order
     */
    static List<ObjectNode> ofKind(List<ObjectNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    /**
     * @param docs the rendered deployment
     * @return the first Trigger whose subscriber is the resize Service
     */
    static Optional<ObjectNode> resizeTrigger(List<ObjectNode> docs) {
        return ofKind(docs, "Trigger").stream()
                .filter(t -> "resize".equals(t.at("/spec/subscriber/ref/name").asText())).findFirst();
    }

    /** @return a document's {@code metadata.name} */
    static String name(JsonNode d) {
        return d.at("/metadata/name").asText();
    }
}
