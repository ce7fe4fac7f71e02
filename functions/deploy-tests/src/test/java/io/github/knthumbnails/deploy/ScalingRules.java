package io.github.knthumbnails.deploy;

import static io.github.knthumbnails.deploy.CrossReferences.knativeService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The scaling rules of the issue, checked offline against the Knative Services and kn-func.yaml. Inputs: the
 * rendered deployment and kn-func.yaml; {@link #scaling()} returns readable problems, an empty list when they
 * hold. Part of {@link CrossReferences#all()}.
 *
 * @param docs the rendered deployment
 * @param func the parsed kn-func.yaml
 */
record ScalingRules(List<ObjectNode> docs, ObjectNode func) {

    static final String AUTOSCALING = "autoscaling.knative.dev/";
    /** Annotation keys of knative/serving {@code pkg/apis/autoscaling/register.go} (contracts.md §5.1). */
    static final Set<String> AUTOSCALING_KEYS = Set.of("class", "metric", "target", "target-utilization-percentage",
            "min-scale", "max-scale", "initial-scale", "activation-scale", "scale-down-delay", "window",
            "panic-window-percentage", "panic-threshold-percentage", "scale-to-zero-pod-retention-period",
            "target-burst-capacity", "metric-aggregation-algorithm");
    /** The min-scale of each function: resize and status scale to zero, the minio-source keeps a pod. */
    private static final Map<String, String> MIN_SCALE = Map.of("resize", "0", "status", "0", "minio-source", "1");

    /**
     * The scaling rules of the issue hold, and every autoscaling annotation is one Knative knows (a misspelt
     * annotation key would be ignored, and no schema can see it): resize and status scale to zero, the
     * minio-source keeps a pod; resize's soft target equals its hard {@code containerConcurrency}; its
     * {@code timeoutSeconds} exceeds the Trigger's delivery timeout; kn-func.yaml says the same as the manifest.
     */
    List<String> scaling() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : MIN_SCALE.entrySet()) {
            Optional<ObjectNode> service = knativeService(docs, e.getKey());
            if (service.isEmpty()) {
                continue;
            }
            JsonNode annotations = service.get().at("/spec/template/metadata/annotations");
            annotations.fieldNames().forEachRemaining(key -> {
                if (key.startsWith(AUTOSCALING) && !AUTOSCALING_KEYS.contains(key.substring(AUTOSCALING.length()))) {
                    problems.add("Service/" + e.getKey() + ": unknown annotation " + key + " (Knative knows "
                            + AUTOSCALING_KEYS + ")");
                }
            });
            String actual = annotations.path(AUTOSCALING + "min-scale").asText();
            if (!e.getValue().equals(actual)) {
                problems.add("Service/" + e.getKey() + ": min-scale is '" + actual + "', should be " + e.getValue());
            }
        }
        ObjectNode resize = knativeService(docs, "resize").orElse(null);
        ObjectNode trigger = CrossReferences.resizeTrigger(docs).orElse(null);
        if (resize == null || trigger == null) {
            return problems;
        }
        JsonNode annotations = resize.at("/spec/template/metadata/annotations");
        int concurrency = resize.at("/spec/template/spec/containerConcurrency").asInt();
        String target = annotations.path(AUTOSCALING + "target").asText();
        if (concurrency < 1 || !String.valueOf(concurrency).equals(target)) {
            problems.add("Service/resize: the autoscaling target '" + target + "' should equal containerConcurrency "
                    + concurrency + " (a small hard limit for CPU-bound work)");
        }
        long timeout = resize.at("/spec/template/spec/timeoutSeconds").asLong();
        long delivery = Duration.parse(trigger.at("/spec/delivery/timeout").asText("PT0S")).toSeconds();
        if (timeout <= delivery) {
            problems.add("Service/resize: timeoutSeconds " + timeout + " must exceed the Trigger's delivery timeout "
                    + delivery + " s, so the Broker decides when an attempt failed");
        }
        JsonNode funcOptions = func.at("/deploy/options");
        JsonNode container = resize.at("/spec/template/spec/containers/0/resources");
        // kn-func.yaml deploy.options path -> what knative/resize.yaml says
        Map<String, String> manifest = new LinkedHashMap<>();
        manifest.put("scale/min", annotations.path(AUTOSCALING + "min-scale").asText());
        manifest.put("scale/max", annotations.path(AUTOSCALING + "max-scale").asText());
        manifest.put("scale/target", target);
        manifest.put("resources/limits/concurrency", String.valueOf(concurrency));
        for (String resource : List.of("limits/memory", "limits/cpu", "requests/memory", "requests/cpu")) {
            manifest.put("resources/" + resource, container.at("/" + resource).asText());
        }
        manifest.forEach((option, expected) -> {
            String actual = funcOptions.at("/" + option).asText();
            if (!actual.equals(expected)) {
                problems.add("kn-func.yaml: deploy.options." + option.replace('/', '.') + " is '" + actual
                        + "' but knative/resize.yaml says '" + expected + "'");
            }
        });
        return problems;
    }
}
