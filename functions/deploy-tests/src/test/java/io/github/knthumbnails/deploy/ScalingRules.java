package io.github.knthumbnails.deploy;

import static io.github.knthumbnails.deploy.CrossReferences.knativeService;
import static io.github.knthumbnails.deploy.CrossReferences.knativeServices;
import static io.github.knthumbnails.deploy.CrossReferences.name;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** Knative's WindowMax: the longest scale-down-delay / scale-to-zero-pod-retention-period it accepts. */
    private static final Duration WINDOW_MAX = Duration.ofHours(1);
    /** One term of a Go duration ({@code time.ParseDuration}) as written in manifests: "90s", "1m30s", "0.5h". */
    private static final Pattern DURATION_TERM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    /**
     * The scaling rules of the issue hold, and every autoscaling annotation is one Knative knows (a misspelt
     * annotation key would be ignored, and no schema can see it): resize and status scale to zero, the
     * minio-source keeps a pod; resize's soft target equals its hard {@code containerConcurrency}; its
     * {@code timeoutSeconds} exceeds the Trigger's delivery timeout; kn-func.yaml says the same as the manifest;
     * and the checks of {@link #scaleFromZero()}.
     */
    List<String> scaling() {
        List<String> problems = new ArrayList<>(scaleFromZero());
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

    /**
     * The scale-from-zero levers of every Knative Service carry values Knative's webhook accepts (a bad one makes
     * {@code kubectl apply} fail on the cluster, and no schema sees annotation values), and no probe delays a
     * cold start. Rules from knative/serving {@code pkg/apis/autoscaling/annotation_validation.go}:
     * scale-down-delay and scale-to-zero-pod-retention-period are durations from 0 s to 1 h (scale-down-delay in
     * whole seconds); initial-scale is an integer, 0 only where the cluster sets allow-zero-initial-scale (ours
     * does not: scripts/cluster-up.sh); activation-scale is the minimum non-zero scale ({@code register.go}), at
     * least 1. Probes (docs serving/services/configure-probing.md, {@code pkg/queue/readiness/probe.go}): a
     * readiness probe without periodSeconds is probed every 50 ms by queue-proxy; a periodSeconds, an
     * initialDelaySeconds or a startupProbe (kubelet, at least 1 s apart) would each add up to a second or more.
     *
     * @return readable problems, empty when they hold
     */
    List<String> scaleFromZero() {
        List<String> problems = new ArrayList<>();
        for (ObjectNode service : knativeServices(docs)) {
            String where = "Service/" + name(service) + ": ";
            JsonNode annotations = service.at("/spec/template/metadata/annotations");
            for (String key : List.of("scale-down-delay", "scale-to-zero-pod-retention-period")) {
                JsonNode value = annotations.path(AUTOSCALING + key);
                if (value.isMissingNode()) {
                    continue;
                }
                Optional<Duration> d = goDuration(value.asText());
                if (d.isEmpty() || d.get().compareTo(WINDOW_MAX) > 0
                        || key.equals("scale-down-delay") && d.get().getNano() != 0) {
                    problems.add(where + key + " '" + value.asText() + "' is not a duration from 0s to 1h"
                            + (key.equals("scale-down-delay") ? " in whole seconds" : "") + " (Knative refuses it)");
                }
            }
            for (String key : List.of("initial-scale", "activation-scale")) {
                JsonNode value = annotations.path(AUTOSCALING + key);
                if (!value.isMissingNode() && !value.asText().matches("[1-9][0-9]{0,8}")) {
                    problems.add(where + key + " '" + value.asText() + "' should be a whole number of pods >= 1"
                            + (key.equals("initial-scale") ? " (0 needs allow-zero-initial-scale on the cluster)"
                            : ""));
                }
            }
            JsonNode container = service.at("/spec/template/spec/containers/0");
            JsonNode readiness = container.path("readinessProbe");
            for (String field : List.of("periodSeconds", "initialDelaySeconds")) {
                if (readiness.path(field).asInt(0) > 0) {
                    problems.add(where + "readinessProbe." + field + " " + readiness.path(field).asInt()
                            + " slows a cold start (leave it unset: queue-proxy then probes every 50 ms)");
                }
            }
            if (container.has("startupProbe")) {
                problems.add(where + "a startupProbe gates readiness at kubelet's >= 1 s period and slows a cold"
                        + " start (the liveness probe's initialDelaySeconds covers a slow start)");
            }
        }
        return problems;
    }

    /**
     * @param text a Go duration without sign, e.g. "0", "90s", "1m30s", "1.5h" (units h, m, s, ms)
     * @return its length, or empty when it is not one (Go's ns/us units are not accepted here)
     */
    static Optional<Duration> goDuration(String text) {
        if ("0".equals(text)) {
            return Optional.of(Duration.ZERO);
        }
        Matcher term = DURATION_TERM.matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (term.find() && term.start() == end) {
            long unitNanos = switch (term.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                default -> 1_000_000L;
            };
            total = total.plusNanos(new BigDecimal(term.group(1)).multiply(BigDecimal.valueOf(unitNanos)).longValue());
            end = term.end();
        }
        return end > 0 && end == text.length() ? Optional.of(total) : Optional.empty();
    }
}
