package io.github.knthumbnails.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventNames;

/**
 * Checks that the deployment's pieces agree with each other and with the functions' code — what no schema can
 * see. Each check returns readable problems; an empty list means it holds.
 *
 * <p>The environment each function reads is taken from its settings record's {@code VARIABLES} list
 * (ResizeSettings, StatusSettings, SourceSettings), loaded from the function modules' classes, so a variable
 * added in code and forgotten in a manifest fails the build.
 */
final class CrossReferences {

    static final String KNATIVE_SERVICE = "serving.knative.dev/v1";
    static final String SECRET = "thumbnails-credentials";
    static final String REQUEST_LIMITS = "io.github.knthumbnails.events.RequestLimits";
    static final String STATUS_SETTINGS = "io.github.knthumbnails.status.StatusSettings";
    /** The status image's two deployments read the same settings. */
    static final List<String> STATUS_IMAGE = List.of(STATUS_SETTINGS, "io.github.knthumbnails.status.StatusRoutes",
            REQUEST_LIMITS);
    /**
     * Which settings records (each with {@code VARIABLES} and {@code from(Function)}) each Knative Service's
     * function reads its environment through.
     */
    static final Map<String, List<String>> SETTINGS = Map.of(
            "resize", List.of("io.github.knthumbnails.resize.ResizeSettings", REQUEST_LIMITS),
            "status", STATUS_IMAGE,
            "status-dead-letter", STATUS_IMAGE,
            "minio-source", List.of("io.github.knthumbnails.source.SourceSettings", REQUEST_LIMITS));
    /** Set by Knative itself (runtime contract; SinkBinding), never in a manifest. */
    static final Set<String> SET_BY_KNATIVE = Set.of("PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION");
    static final Set<String> SET_BY_SINKBINDING = Set.of("K_SINK", "K_CE_OVERRIDES");
    static final String AUTOSCALING = "autoscaling.knative.dev/";
    /** Annotation keys of knative/serving {@code pkg/apis/autoscaling/register.go} (contracts.md §5.1). */
    static final Set<String> AUTOSCALING_KEYS = Set.of("class", "metric", "target", "target-utilization-percentage",
            "min-scale", "max-scale", "initial-scale", "activation-scale", "scale-down-delay", "window",
            "panic-window-percentage", "panic-threshold-percentage", "scale-to-zero-pod-retention-period",
            "target-burst-capacity", "metric-aggregation-algorithm");
    private static final Pattern FUNC_SECRET = Pattern.compile("\\{\\{\\s*secret:([^:}\\s]+):([^}\\s]+)\\s*}}");
    private static final Pattern WEBHOOK_ENV = Pattern.compile("MINIO_NOTIFY_WEBHOOK_([A-Z_]+?)_([A-Za-z0-9]+)");

    private final List<ObjectNode> docs;
    private final ObjectNode func;
    private final Set<String> secretKeys;

    /**
     * @param docs       the rendered deployment (minio standalone, eventing, knative)
     * @param func       the parsed kn-func.yaml
     * @param secretKeys the keys of the credentials Secret (minio/credentials.example.env)
     */
    CrossReferences(List<ObjectNode> docs, ObjectNode func, Set<String> secretKeys) {
        this.docs = docs;
        this.func = func;
        this.secretKeys = secretKeys;
    }

    /** @return every problem of every check */
    List<String> all() {
        List<String> problems = new ArrayList<>();
        problems.addAll(destinations());
        problems.addAll(sinkBinding());
        problems.addAll(secrets());
        problems.addAll(environment());
        problems.addAll(wiring());
        problems.addAll(triggerFilters());
        problems.addAll(scaling());
        TrustBoundary boundary = new TrustBoundary(docs, func);
        problems.addAll(boundary.deadLetterRoutes());
        problems.addAll(boundary.minioUsers());
        problems.addAll(boundary.networkPolicies());
        return problems;
    }

    /** Trigger brokers, subscribers and every dead-letter sink name objects that exist. */
    List<String> destinations() {
        List<String> problems = new ArrayList<>();
        for (ObjectNode d : docs) {
            String kind = d.path("kind").asText();
            String label = kind + "/" + name(d);
            if (kind.equals("Trigger")) {
                String broker = d.at("/spec/broker").asText();
                if (Manifests.find(docs, "Broker", broker).isEmpty()) {
                    problems.add(label + ": spec.broker '" + broker + "' is not a Broker of the deployment");
                }
                problems.addAll(ref(label + ": spec.subscriber", d.at("/spec/subscriber")));
            }
            if (kind.equals("Trigger") || kind.equals("Broker")) {
                JsonNode dls = d.at("/spec/delivery/deadLetterSink");
                if (dls.isMissingNode()) {
                    problems.add(label + ": no spec.delivery.deadLetterSink: an exhausted delivery would leave the"
                            + " job pending for ever");
                    continue;
                }
                problems.addAll(ref(label + ": spec.delivery.deadLetterSink", dls));
                String path = deadLetterPath();
                if (!new TrustBoundary(docs, func).isDeadLetterService(dls.at("/ref/name").asText())
                        || !path.equals(dls.path("uri").asText())) {
                    problems.add(label + ": spec.delivery.deadLetterSink should be a cluster-local Service of the"
                            + " status image with STATUS_ROUTES=dead-letter, at uri " + path + " (where it records"
                            + " the job as failed)");
                }
            }
        }
        return problems;
    }

    /** The SinkBinding's subject and sink exist. */
    List<String> sinkBinding() {
        List<String> problems = new ArrayList<>();
        List<ObjectNode> bindings = ofKind("SinkBinding");
        if (bindings.isEmpty()) {
            problems.add("no SinkBinding: nothing would set K_SINK of the minio-source");
        }
        for (ObjectNode b : bindings) {
            String label = "SinkBinding/" + name(b);
            JsonNode subject = b.at("/spec/subject");
            if (lookup(subject.path("apiVersion").asText(), subject.path("kind").asText(),
                    subject.path("name").asText()).isEmpty()) {
                problems.add(label + ": spec.subject " + subject.path("kind").asText() + " '"
                        + subject.path("name").asText() + "' does not exist");
            }
            problems.addAll(ref(label + ": spec.sink", b.at("/spec/sink")));
        }
        return problems;
    }

    /** Every Secret reference names the credentials Secret and one of its keys; every key is used. */
    List<String> secrets() {
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (ObjectNode d : docs) {
            d.findValues("secretKeyRef").forEach(r -> {
                String secret = r.path("name").asText();
                String key = r.path("key").asText();
                used.add(key);
                if (!SECRET.equals(secret) || !secretKeys.contains(key)) {
                    problems.add(d.path("kind").asText() + "/" + name(d) + ": secretKeyRef " + secret + "/" + key
                            + " does not exist; Secret " + SECRET + " has keys " + secretKeys);
                }
            });
        }
        func.findValues("value").forEach(v -> {
            Matcher m = FUNC_SECRET.matcher(v.asText());
            if (m.matches()) {
                used.add(m.group(2));
                if (!SECRET.equals(m.group(1)) || !secretKeys.contains(m.group(2))) {
                    problems.add("kn-func.yaml: " + v.asText() + " does not exist; Secret " + SECRET + " has keys "
                            + secretKeys);
                }
            }
        });
        Set<String> unused = new TreeSet<>(secretKeys);
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            problems.add("Secret " + SECRET + " keys " + unused + " are used nowhere");
        }
        return problems;
    }

    /**
     * Each function's Service sets exactly the variables its settings record reads (minus what Knative sets),
     * and the values pass the settings record's own validation.
     */
    List<String> environment() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : SETTINGS.entrySet()) {
            Optional<ObjectNode> service = lookup(KNATIVE_SERVICE, "Service", e.getKey());
            if (service.isEmpty()) {
                problems.add("Knative Service '" + e.getKey() + "' is missing");
                continue;
            }
            Map<String, String> env = env(service.get().at("/spec/template/spec/containers/0/env"));
            problems.addAll(compare("Service/" + e.getKey(), env, e.getValue()));
        }
        Map<String, String> funcEnv = env(func.at("/run/envs"));
        problems.addAll(compare("kn-func.yaml run.envs", funcEnv, SETTINGS.get("resize")));
        return problems;
    }

    /** MinIO's webhook goes to the minio-source; the functions reach MinIO; everyone agrees on the buckets. */
    List<String> wiring() {
        List<String> problems = new ArrayList<>();
        ObjectNode minio = Manifests.find(docs, "StatefulSet", "minio").orElse(null);
        ObjectNode setup = Manifests.find(docs, "Job", "minio-setup").orElse(null);
        if (minio == null || setup == null) {
            return List.of("StatefulSet/minio or Job/minio-setup is missing");
        }
        Map<String, String> minioEnv = env(minio.at("/spec/template/spec/containers/0/env"));
        Set<String> targets = new LinkedHashSet<>();
        minioEnv.forEach((name, value) -> {
            Matcher m = WEBHOOK_ENV.matcher(name);
            if (m.matches()) {
                targets.add(m.group(2));
            }
        });
        if (targets.size() != 1) {
            return List.of("StatefulSet/minio: expected one webhook target (MINIO_NOTIFY_WEBHOOK_*_<ID>), found " + targets);
        }
        String id = targets.iterator().next();
        String endpoint = minioEnv.get("MINIO_NOTIFY_WEBHOOK_ENDPOINT_" + id);
        String expected = ofKind("SinkBinding").stream().map(b -> b.at("/spec/subject"))
                .flatMap(s -> lookup(s.path("apiVersion").asText(), s.path("kind").asText(), s.path("name").asText())
                        .stream())
                .map(s -> "http://" + name(s) + "." + s.at("/metadata/namespace").asText() + ".svc.cluster.local")
                .findFirst().orElse("<the SinkBinding's subject>");
        if (!expected.equals(endpoint)) {
            problems.add("StatefulSet/minio: MINIO_NOTIFY_WEBHOOK_ENDPOINT_" + id + " is " + endpoint
                    + " but the minio-source Service (the SinkBinding's subject) is at " + expected);
        }
        if (!"on".equals(minioEnv.get("MINIO_NOTIFY_WEBHOOK_ENABLE_" + id))) {
            problems.add("StatefulSet/minio: MINIO_NOTIFY_WEBHOOK_ENABLE_" + id + " must be 'on'");
        }
        String queueDir = minioEnv.getOrDefault("MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_" + id, "");
        boolean onVolume = minio.at("/spec/template/spec/containers/0/volumeMounts").findValuesAsText("mountPath")
                .contains(queueDir);
        if (!onVolume) {
            problems.add("StatefulSet/minio: MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_" + id + " '" + queueDir
                    + "' is not a mounted volume, so queued events would not survive a restart");
        }
        Map<String, String> setupEnv = env(setup.at("/spec/template/spec/containers/0/env"));
        String arn = "arn:minio:sqs::" + id + ":webhook";
        if (!arn.equals(setupEnv.get("WEBHOOK_ARN"))) {
            problems.add("Job/minio-setup: WEBHOOK_ARN is " + setupEnv.get("WEBHOOK_ARN") + ", MinIO's target is " + arn);
        }
        ObjectNode minioService = Manifests.find(docs, "Service", "minio").orElse(null);
        String s3 = minioService == null ? "<no Service minio>" : "http://minio."
                + minioService.at("/metadata/namespace").asText() + ".svc.cluster.local:"
                + minioService.at("/spec/ports/0/port").asText();
        Map<String, Map<String, String>> users = new LinkedHashMap<>();
        for (String function : SETTINGS.keySet()) {
            lookup(KNATIVE_SERVICE, "Service", function).ifPresent(s -> users.put("Service/" + function,
                    env(s.at("/spec/template/spec/containers/0/env"))));
        }
        users.put("kn-func.yaml", env(func.at("/run/envs")));
        users.put("Job/minio-setup", setupEnv);
        for (Map.Entry<String, Map<String, String>> u : users.entrySet()) {
            String endpointValue = u.getValue().get(u.getKey().equals("Job/minio-setup") ? "MINIO_URL" : "MINIO_ENDPOINT");
            if (endpointValue != null && !endpointValue.equals(s3)) {
                problems.add(u.getKey() + ": MinIO endpoint " + endpointValue + " is not the minio Service " + s3);
            }
            for (String bucketVar : List.of("UPLOAD_BUCKETS", "THUMBNAILS_BUCKET")) {
                String mine = u.getValue().get(bucketVar);
                String setupValue = setupEnv.get(bucketVar);
                if (mine != null && !mine.equals(setupValue)) {
                    problems.add(u.getKey() + ": " + bucketVar + " '" + mine + "' differs from the buckets "
                            + "Job/minio-setup creates and subscribes ('" + setupValue + "')");
                }
            }
        }
        return problems;
    }

    /**
     * The resize Trigger passes exactly the content-creating and content-removing S3 types of the upload buckets
     * (issue 8, finding 4: removals delete the key's renditions and job record); nothing else, e.g. tagging.
     */
    List<String> triggerFilters() {
        List<String> problems = new ArrayList<>();
        ObjectNode trigger = ofKind("Trigger").stream()
                .filter(t -> "resize".equals(t.at("/spec/subscriber/ref/name").asText())).findFirst().orElse(null);
        if (trigger == null) {
            return List.of("no Trigger subscribes the resize Service");
        }
        Set<String> types = new TreeSet<>();
        trigger.at("/spec/filters").forEach(filter -> exactTypes(filter, types));
        for (String type : types) {
            String eventName = type.startsWith(S3CloudEvents.TYPE_PREFIX)
                    ? type.substring(S3CloudEvents.TYPE_PREFIX.length()) : "";
            if (!S3EventNames.createsContent(eventName) && !S3EventNames.removesContent(eventName)) {
                problems.add("Trigger/" + name(trigger) + ": type " + type
                        + " neither creates nor removes an object's content");
            }
        }
        for (String name : List.of("ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy",
                "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated",
                "ObjectRemoved:DeleteAllVersions")) {
            if (!types.contains(S3CloudEvents.type(name))) {
                problems.add("Trigger/" + name(trigger) + ": " + name + " is not routed to resize");
            }
        }
        Set<String> suffixes = new TreeSet<>(trigger.at("/spec/filters").findValuesAsText("source"));
        String uploads = lookup(KNATIVE_SERVICE, "Service", "resize")
                .map(s -> env(s.at("/spec/template/spec/containers/0/env")).get("UPLOAD_BUCKETS")).orElse("");
        Set<String> expected = new TreeSet<>();
        for (String bucket : uploads.split(",")) {
            expected.add("." + bucket.strip());
        }
        if (!suffixes.equals(expected)) {
            problems.add("Trigger/" + name(trigger) + ": source suffixes " + suffixes + " do not match UPLOAD_BUCKETS "
                    + expected);
        }
        return problems;
    }

    /** The types a filter matches exactly, through {@code any}/{@code all}; what sits under {@code not} is excluded. */
    private static void exactTypes(JsonNode filter, Set<String> types) {
        JsonNode exact = filter.at("/exact/type");
        if (exact.isTextual()) {
            types.add(exact.asText());
        }
        for (String list : List.of("any", "all")) {
            filter.path(list).forEach(nested -> exactTypes(nested, types));
        }
    }

    /**
     * The scaling rules of the issue hold, and every autoscaling annotation is one Knative knows (a misspelt
     * annotation key would be ignored, and no schema can see it): resize and status scale to zero, the
     * minio-source keeps a pod; resize's soft target equals its hard {@code containerConcurrency}; its
     * {@code timeoutSeconds} exceeds the Trigger's delivery timeout; kn-func.yaml says the same as the manifest.
     */
    List<String> scaling() {
        List<String> problems = new ArrayList<>();
        Map<String, String> minScale = Map.of("resize", "0", "status", "0", "minio-source", "1");
        for (Map.Entry<String, String> e : minScale.entrySet()) {
            Optional<ObjectNode> service = lookup(KNATIVE_SERVICE, "Service", e.getKey());
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
        ObjectNode resize = lookup(KNATIVE_SERVICE, "Service", "resize").orElse(null);
        ObjectNode trigger = ofKind("Trigger").stream()
                .filter(t -> "resize".equals(t.at("/spec/subscriber/ref/name").asText())).findFirst().orElse(null);
        if (resize == null || trigger == null) {
            return problems;
        }
        int concurrency = resize.at("/spec/template/spec/containerConcurrency").asInt();
        String target = resize.at("/spec/template/metadata/annotations").path(AUTOSCALING + "target").asText();
        if (concurrency < 1 || !String.valueOf(concurrency).equals(target)) {
            problems.add("Service/resize: the autoscaling target '" + target + "' should equal containerConcurrency "
                    + concurrency + " (a small hard limit for CPU-bound work)");
        }
        long timeout = resize.at("/spec/template/spec/timeoutSeconds").asLong();
        long delivery = java.time.Duration.parse(trigger.at("/spec/delivery/timeout").asText("PT0S")).toSeconds();
        if (timeout <= delivery) {
            problems.add("Service/resize: timeoutSeconds " + timeout + " must exceed the Trigger's delivery timeout "
                    + delivery + " s, so the Broker decides when an attempt failed");
        }
        JsonNode funcOptions = func.at("/deploy/options");
        JsonNode container = resize.at("/spec/template/spec/containers/0/resources");
        List<String[]> same = List.of(
                new String[] {"scale.min", funcOptions.at("/scale/min").asText(),
                        resize.at("/spec/template/metadata/annotations").path(AUTOSCALING + "min-scale").asText()},
                new String[] {"scale.max", funcOptions.at("/scale/max").asText(),
                        resize.at("/spec/template/metadata/annotations").path(AUTOSCALING + "max-scale").asText()},
                new String[] {"scale.target", funcOptions.at("/scale/target").asText(), target},
                new String[] {"resources.limits.concurrency", funcOptions.at("/resources/limits/concurrency").asText(),
                        String.valueOf(concurrency)},
                new String[] {"resources.limits.memory", funcOptions.at("/resources/limits/memory").asText(),
                        container.at("/limits/memory").asText()},
                new String[] {"resources.limits.cpu", funcOptions.at("/resources/limits/cpu").asText(),
                        container.at("/limits/cpu").asText()},
                new String[] {"resources.requests.memory", funcOptions.at("/resources/requests/memory").asText(),
                        container.at("/requests/memory").asText()},
                new String[] {"resources.requests.cpu", funcOptions.at("/resources/requests/cpu").asText(),
                        container.at("/requests/cpu").asText()});
        for (String[] s : same) {
            if (!s[1].equals(s[2])) {
                problems.add("kn-func.yaml: deploy.options." + s[0] + " is '" + s[1] + "' but knative/resize.yaml says '"
                        + s[2] + "'");
            }
        }
        return problems;
    }

    private List<String> compare(String label, Map<String, String> env, List<String> settingsClasses) {
        List<String> problems = new ArrayList<>();
        Set<String> expected = new TreeSet<>(variables(settingsClasses));
        if (settingsClasses.stream().anyMatch(c -> c.endsWith("SourceSettings"))) {
            expected.removeAll(SET_BY_SINKBINDING);
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(env.keySet());
        Set<String> extra = new TreeSet<>(env.keySet());
        extra.removeAll(expected);
        if (!missing.isEmpty()) {
            String readers = String.join(", ", settingsClasses.stream()
                    .filter(c -> variables(c).stream().anyMatch(missing::contains)).map(CrossReferences::simpleName)
                    .toList());
            problems.add(label + ": does not set " + missing + ", which " + readers + " reads");
        }
        if (!extra.isEmpty()) {
            problems.add(label + ": sets " + extra + ", which the function does not read"
                    + (extra.stream().anyMatch(SET_BY_KNATIVE::contains) ? " (Knative sets PORT and K_* itself)" : ""));
        }
        if (missing.isEmpty()) {
            Map<String, String> values = new HashMap<>(env);
            values.putIfAbsent("K_SINK", "http://broker-ingress.knative-eventing.svc.cluster.local/thumbnails/default");
            values.replaceAll((k, v) -> v == null ? "from-a-secret" : v);
            for (String settingsClass : settingsClasses) {
                try {
                    Class.forName(settingsClass).getMethod("from", Function.class)
                            .invoke(null, (Function<String, String>) values::get);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    problems.add(label + ": " + simpleName(settingsClass) + " rejects the values: "
                            + e.getCause().getMessage());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return problems;
    }

    /** @return the path the status function takes dead letters at ({@code DeadLetters.PATH}) */
    static String deadLetterPath() {
        try {
            return (String) Class.forName("io.github.knthumbnails.status.DeadLetters").getField("PATH").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the status module's classes are not on the test class path", e);
        }
    }

    /**
     * @param settingsClasses settings records' class names
     * @return the union of their {@code VARIABLES}, in order
     */
    static List<String> variables(List<String> settingsClasses) {
        return settingsClasses.stream().flatMap(c -> variables(c).stream()).distinct().toList();
    }

    /**
     * @param settingsClass a settings record's class name
     * @return its {@code VARIABLES}
     */
    @SuppressWarnings("unchecked")
    static List<String> variables(String settingsClass) {
        try {
            return (List<String>) Class.forName(settingsClass).getField("VARIABLES").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(settingsClass + " is not on the test class path; build its module first", e);
        }
    }

    /** @return env var name to literal value ({@code null} when it comes from a Secret) */
    static Map<String, String> env(JsonNode list) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : list) {
            env.put(e.path("name").asText(), e.has("value") && !FUNC_SECRET.matcher(e.path("value").asText()).matches()
                    ? e.path("value").asText() : null);
        }
        return env;
    }

    private List<String> ref(String label, JsonNode destination) {
        JsonNode ref = destination.path("ref");
        if (ref.isMissingNode()) {
            return destination.has("uri") ? List.of() : List.of(label + " has neither ref nor uri");
        }
        return lookup(ref.path("apiVersion").asText(), ref.path("kind").asText(), ref.path("name").asText()).isPresent()
                ? List.of()
                : List.of(label + " names " + ref.path("kind").asText() + " '" + ref.path("name").asText()
                        + "', which the deployment does not have");
    }

    private Optional<ObjectNode> lookup(String apiVersion, String kind, String name) {
        return docs.stream().filter(d -> apiVersion.equals(d.path("apiVersion").asText()))
                .filter(d -> kind.equals(d.path("kind").asText())).filter(d -> name.equals(name(d))).findFirst();
    }

    private List<ObjectNode> ofKind(String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static String name(JsonNode d) {
        return d.at("/metadata/name").asText();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
