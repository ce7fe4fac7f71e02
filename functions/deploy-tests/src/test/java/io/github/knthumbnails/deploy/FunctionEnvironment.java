package io.github.knthumbnails.deploy;

import static io.github.knthumbnails.deploy.CrossReferences.FUNC_SECRET;
import static io.github.knthumbnails.deploy.CrossReferences.SECRET;
import static io.github.knthumbnails.deploy.CrossReferences.containerEnv;
import static io.github.knthumbnails.deploy.CrossReferences.env;
import static io.github.knthumbnails.deploy.CrossReferences.knativeService;
import static io.github.knthumbnails.deploy.CrossReferences.name;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The functions' environment against their code, checked offline: each Knative Service and kn-func.yaml sets
 * exactly the variables the function's settings records read, with values those records accept, and every Secret
 * reference names a key of the credentials Secret. Inputs: the rendered deployment, kn-func.yaml and the Secret's
 * keys; each check returns readable problems, an empty list when it holds. Part of {@link CrossReferences#all()}.
 *
 * <p>What a function reads is taken from its settings records' {@code VARIABLES} lists (ResizeSettings,
 * StatusSettings, SourceSettings, RequestLimits), loaded from the function modules' classes, so a variable added
 * in code and forgotten in a manifest fails the build.
 *
 * @param docs the rendered deployment
 * @param func the parsed kn-func.yaml
 * @param secretKeys the keys of the credentials Secret (minio/credentials.example.env)
 */
record FunctionEnvironment(List<ObjectNode> docs, ObjectNode func, Set<String> secretKeys) {

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
    /** Read by Spring Boot itself; every Service logs JSON with trace ids on the cluster (issue 11, item 5). */
    static final String STRUCTURED_LOGS = "LOGGING_STRUCTURED_FORMAT_CONSOLE";

    /**
     * Each function's Service sets exactly the variables its settings record reads (minus what Knative sets),
     * and the values pass the settings record's own validation.
     */
    List<String> environment() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : SETTINGS.entrySet()) {
            Optional<ObjectNode> service = knativeService(docs, e.getKey());
            if (service.isEmpty()) {
                problems.add("Knative Service '" + e.getKey() + "' is missing");
                continue;
            }
            Map<String, String> env = new HashMap<>(containerEnv(service.get()));
            if (!"ecs".equals(env.remove(STRUCTURED_LOGS))) {
                problems.add("Service/" + e.getKey() + ": does not set " + STRUCTURED_LOGS + "=ecs (JSON logs with"
                        + " trace and span ids)");
            }
            problems.addAll(compare("Service/" + e.getKey(), env, e.getValue()));
        }
        Map<String, String> funcEnv = env(func.at("/run/envs"));
        problems.addAll(compare("kn-func.yaml run.envs", funcEnv, SETTINGS.get("resize")));
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
                    .filter(c -> variables(c).stream().anyMatch(missing::contains))
                    .map(FunctionEnvironment::simpleName).toList());
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

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
