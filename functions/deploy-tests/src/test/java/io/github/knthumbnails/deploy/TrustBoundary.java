package io.github.knthumbnails.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The deployment's trust boundary, checked offline (issue 8, findings 1, 6 and 10): who may post dead letters,
 * which MinIO user each function has, and whom each NetworkPolicy admits. Each check returns readable problems;
 * an empty list means it holds. Part of {@link CrossReferences#all()}.
 */
final class TrustBoundary {

    /** Knative's label on every pod of a Knative Service's revisions. */
    static final String SERVICE_LABEL = "serving.knative.dev/service";
    static final String VISIBILITY = "networking.knative.dev/visibility";
    static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";
    /** Serving's activator and autoscaler. */
    static final String SERVING_NAMESPACE = "knative-serving";
    /** The networking layer's gateways (Kourier, as scripts/cluster-up.sh installs it). */
    static final String INGRESS_NAMESPACE = "kourier-system";
    /** The Broker's dispatchers, which call Trigger subscribers and dead-letter sinks. */
    static final String EVENTING_NAMESPACE = "knative-eventing";
    /** Which setup-Job variable prefix holds the MinIO user of each function's Service. */
    static final Map<String, String> MINIO_USERS = Map.of("status", "STATUS", "status-dead-letter", "DEAD_LETTER",
            "resize", "RESIZE");

    private final List<ObjectNode> docs;
    private final ObjectNode func;

    /**
     * @param docs the rendered deployment
     * @param func the parsed kn-func.yaml
     */
    TrustBoundary(List<ObjectNode> docs, ObjectNode func) {
        this.docs = docs;
        this.func = func;
    }

    /**
     * @param name a Knative Service name
     * @return whether it runs the status image cluster-local with {@code STATUS_ROUTES=dead-letter}
     */
    boolean isDeadLetterService(String name) {
        return service(name).filter(s -> CrossReferences.STATUS_IMAGE.equals(CrossReferences.SETTINGS.get(name)))
                .filter(TrustBoundary::isClusterLocal)
                .filter(s -> "dead-letter".equals(env(s).get("STATUS_ROUTES"))).isPresent();
    }

    /** A Service of the status image with a public route serves the status API only, never the dead-letter sink. */
    List<String> deadLetterRoutes() {
        List<String> problems = new ArrayList<>();
        for (ObjectNode s : knativeServices()) {
            String name = CrossReferences.name(s);
            if (CrossReferences.STATUS_IMAGE.equals(CrossReferences.SETTINGS.get(name)) && !isClusterLocal(s)
                    && !"public".equals(env(s).get("STATUS_ROUTES"))) {
                problems.add("Service/" + name + ": has a public route, so STATUS_ROUTES must be 'public' (is '"
                        + env(s).get("STATUS_ROUTES") + "'): anyone could post forged dead letters");
            }
        }
        return problems;
    }

    /**
     * Each function that talks to MinIO has its own user: its access and secret keys are the Secret keys the
     * setup Job creates that user from (setup.sh), and no two Services share one. The minio-source has none.
     */
    List<String> minioUsers() {
        List<String> problems = new ArrayList<>();
        ObjectNode setup = Manifests.find(docs, "Job", "minio-setup").orElse(null);
        if (setup == null) {
            return List.of("Job/minio-setup is missing");
        }
        Map<String, String> setupKeys = secretKeys(setup.at("/spec/template/spec/containers/0/env"));
        String script = setupScript();
        Map<String, String> owners = new LinkedHashMap<>();
        Map<String, JsonNode> users = new LinkedHashMap<>();
        knativeServices().forEach(s -> users.put("Service/" + CrossReferences.name(s),
                s.at("/spec/template/spec/containers/0/env")));
        for (Map.Entry<String, JsonNode> u : users.entrySet()) {
            String service = u.getKey().substring("Service/".length());
            Map<String, String> keys = secretKeys(u.getValue());
            String prefix = MINIO_USERS.get(service);
            if (prefix == null) {
                if (keys.containsKey("MINIO_ACCESS_KEY")) {
                    problems.add(u.getKey() + ": has MinIO credentials but no MinIO user of its own");
                }
                continue;
            }
            for (String part : List.of("ACCESS_KEY", "SECRET_KEY")) {
                String mine = keys.get("MINIO_" + part);
                String setupKey = setupKeys.get(prefix + "_" + part);
                if (mine == null || !mine.equals(setupKey)) {
                    problems.add(u.getKey() + ": MINIO_" + part + " comes from Secret key " + mine
                            + ", but Job/minio-setup creates its user from " + setupKey + " (" + prefix + "_" + part
                            + ")");
                }
            }
            String access = keys.get("MINIO_ACCESS_KEY");
            String other = owners.putIfAbsent(access, u.getKey());
            if (access != null && other != null) {
                problems.add(u.getKey() + " and " + other + " share the MinIO user " + access
                        + ": each function gets its own, with least privilege");
            }
            String call = "\"$" + prefix + "_ACCESS_KEY\" \"$" + prefix + "_SECRET_KEY\"";
            if (!script.contains(call)) {
                problems.add("minio/base/setup.sh: creates no user from " + call + " for " + u.getKey());
            }
        }
        Map<String, String> funcKeys = new LinkedHashMap<>();
        func.at("/run/envs").forEach(e -> funcKeys.put(e.path("name").asText(), e.path("value").asText()));
        for (String part : List.of("ACCESS_KEY", "SECRET_KEY")) {
            String expected = "{{ secret:" + CrossReferences.SECRET + ":" + setupKeys.get("RESIZE_" + part) + " }}";
            if (!expected.equals(funcKeys.get("MINIO_" + part))) {
                problems.add("kn-func.yaml: MINIO_" + part + " should be " + expected + " (resize's own user)");
            }
        }
        return problems;
    }

    /**
     * Every pod of the namespace is isolated (a default-deny ingress policy), and the NetworkPolicies admit
     * exactly who calls each workload: Knative's data plane (activator, autoscaler, gateway) for every Knative
     * Service; the Broker's dispatchers too for Trigger subscribers and dead-letter sinks; MinIO too for the
     * SinkBinding's subject (its webhook target); for MinIO, the workloads configured with its endpoint and its
     * own peers; nobody else.
     */
    List<String> networkPolicies() {
        List<String> problems = new ArrayList<>();
        List<ObjectNode> policies = docs.stream().filter(d -> "NetworkPolicy".equals(d.path("kind").asText()))
                .toList();
        boolean defaultDeny = policies.stream().anyMatch(p -> p.at("/spec/podSelector").isEmpty()
                && p.at("/spec/policyTypes").toString().contains("Ingress") && p.at("/spec/ingress").isEmpty());
        if (!defaultDeny) {
            problems.add("no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules):"
                    + " pods no policy selects accept traffic from anywhere");
        }
        Map<String, Map<String, String>> workloads = workloadLabels();
        Set<String> subscribers = new TreeSet<>();
        for (ObjectNode d : docs) {
            String kind = d.path("kind").asText();
            if (kind.equals("Trigger")) {
                subscribers.add(d.at("/spec/subscriber/ref/name").asText());
            }
            if (kind.equals("Trigger") || kind.equals("Broker")) {
                subscribers.add(d.at("/spec/delivery/deadLetterSink/ref/name").asText());
            }
        }
        Set<String> webhookTargets = new TreeSet<>();
        docs.stream().filter(d -> "SinkBinding".equals(d.path("kind").asText()))
                .forEach(b -> webhookTargets.add(b.at("/spec/subject/name").asText()));
        for (Map.Entry<String, Map<String, String>> w : workloads.entrySet()) {
            String workload = w.getKey();
            Set<String> expected = new TreeSet<>();
            if (workload.startsWith("Service/")) {
                String name = workload.substring("Service/".length());
                expected.add("namespace " + SERVING_NAMESPACE);
                expected.add("namespace " + INGRESS_NAMESPACE);
                if (subscribers.contains(name)) {
                    expected.add("namespace " + EVENTING_NAMESPACE);
                }
                if (webhookTargets.contains(name)) {
                    expected.add("StatefulSet/minio");
                }
            } else if (workload.equals("StatefulSet/minio")) {
                expected.add("StatefulSet/minio");
                for (ObjectNode d : docs) {
                    Map<String, String> env = env(d);
                    if (env.containsKey("MINIO_ENDPOINT") || env.containsKey("MINIO_URL")) {
                        expected.add(d.path("kind").asText() + "/" + CrossReferences.name(d));
                    }
                }
            }
            Set<String> admitted = admitted(policies, w.getValue(), workloads);
            if (!admitted.equals(expected)) {
                problems.add(workload + ": NetworkPolicies admit " + admitted + ", should be exactly " + expected);
            }
        }
        return problems;
    }

    /** Who the policies selecting a pod with these labels admit: "namespace X", "anyone", or a workload. */
    private static Set<String> admitted(List<ObjectNode> policies, Map<String, String> labels,
                                        Map<String, Map<String, String>> workloads) {
        Set<String> admitted = new TreeSet<>();
        for (ObjectNode p : policies) {
            if (!matches(p.at("/spec/podSelector"), labels)) {
                continue;
            }
            for (JsonNode rule : p.at("/spec/ingress")) {
                if (rule.path("from").isEmpty()) {
                    admitted.add("anyone");
                }
                for (JsonNode peer : rule.path("from")) {
                    if (peer.has("ipBlock")) {
                        admitted.add("ipBlock " + peer.at("/ipBlock/cidr").asText());
                    } else if (peer.has("namespaceSelector")) {
                        String ns = peer.at("/namespaceSelector/matchLabels/" + NAMESPACE_NAME.replace("/", "~1"))
                                .asText("");
                        admitted.add(ns.isEmpty() || peer.has("podSelector") ? "namespaces " + peer : "namespace " + ns);
                    } else {
                        workloads.forEach((w, l) -> {
                            if (matches(peer.path("podSelector"), l)) {
                                admitted.add(w);
                            }
                        });
                    }
                }
            }
        }
        return admitted;
    }

    /** Evaluates a Kubernetes LabelSelector (matchLabels, matchExpressions In/NotIn/Exists/DoesNotExist). */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (var it = selector.path("matchLabels").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            Set<String> values = new TreeSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The pod labels of every workload: Knative Services (with Knative's service label), StatefulSets, Jobs. */
    private Map<String, Map<String, String>> workloadLabels() {
        Map<String, Map<String, String>> workloads = new LinkedHashMap<>();
        for (ObjectNode d : docs) {
            String kind = d.path("kind").asText();
            boolean knative = kind.equals("Service") && CrossReferences.KNATIVE_SERVICE.equals(
                    d.path("apiVersion").asText());
            if (!knative && !kind.equals("StatefulSet") && !kind.equals("Job")) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            d.at("/spec/template/metadata/labels").fields().forEachRemaining(e -> labels.put(e.getKey(),
                    e.getValue().asText()));
            if (knative) {
                labels.put(SERVICE_LABEL, CrossReferences.name(d));
            }
            workloads.put(kind + "/" + CrossReferences.name(d), labels);
        }
        return workloads;
    }

    private List<ObjectNode> knativeServices() {
        return docs.stream().filter(d -> "Service".equals(d.path("kind").asText()))
                .filter(d -> CrossReferences.KNATIVE_SERVICE.equals(d.path("apiVersion").asText())).toList();
    }

    private Optional<ObjectNode> service(String name) {
        return knativeServices().stream().filter(s -> name.equals(CrossReferences.name(s))).findFirst();
    }

    private static boolean isClusterLocal(JsonNode service) {
        return "cluster-local".equals(service.at("/metadata/labels").path(VISIBILITY).asText());
    }

    private static Map<String, String> env(JsonNode workload) {
        return CrossReferences.env(workload.at("/spec/template/spec/containers/0/env"));
    }

    /** @return env var name to the Secret key it comes from, for the variables that come from a Secret */
    private static Map<String, String> secretKeys(JsonNode env) {
        Map<String, String> keys = new LinkedHashMap<>();
        env.forEach(e -> {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                keys.put(e.path("name").asText(), ref.path("key").asText());
            }
        });
        return keys;
    }

    private static String setupScript() {
        try {
            return Files.readString(Manifests.root().resolve("minio/base/setup.sh"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
