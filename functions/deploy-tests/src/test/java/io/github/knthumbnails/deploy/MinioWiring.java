package io.github.knthumbnails.deploy;

import static io.github.knthumbnails.deploy.CrossReferences.containerEnv;
import static io.github.knthumbnails.deploy.CrossReferences.env;
import static io.github.knthumbnails.deploy.CrossReferences.knativeService;
import static io.github.knthumbnails.deploy.CrossReferences.lookup;
import static io.github.knthumbnails.deploy.CrossReferences.name;
import static io.github.knthumbnails.deploy.CrossReferences.ofKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * MinIO's side of the deployment, checked offline: the StatefulSet has one webhook target, enabled, queued on a
 * mounted volume and pointed at the SinkBinding's subject (the minio-source); the setup Job subscribes that
 * target's ARN; and every function, kn-func.yaml and the setup Job agree on the MinIO endpoint and the buckets.
 * Inputs: the rendered deployment and kn-func.yaml; {@link #wiring()} returns readable problems, an empty list
 * when it holds. Part of {@link CrossReferences#all()}.
 *
 * @param docs the rendered deployment
 * @param func the parsed kn-func.yaml
 */
record MinioWiring(List<ObjectNode> docs, ObjectNode func) {

    private static final Pattern WEBHOOK_ENV = Pattern.compile("MINIO_NOTIFY_WEBHOOK_([A-Z_]+?)_([A-Za-z0-9]+)");

    /** MinIO's webhook goes to the minio-source; the functions reach MinIO; everyone agrees on the buckets. */
    List<String> wiring() {
        List<String> problems = new ArrayList<>();
        ObjectNode minio = Manifests.find(docs, "StatefulSet", "minio").orElse(null);
        ObjectNode setup = Manifests.find(docs, "Job", "minio-setup").orElse(null);
        if (minio == null || setup == null) {
            return List.of("StatefulSet/minio or Job/minio-setup is missing");
        }
        Map<String, String> minioEnv = containerEnv(minio);
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
        String expected = ofKind(docs, "SinkBinding").stream()
                .flatMap(b -> lookup(docs, b.at("/spec/subject")).stream())
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
        Map<String, String> setupEnv = containerEnv(setup);
        String arn = "arn:minio:sqs::" + id + ":webhook";
        if (!arn.equals(setupEnv.get("WEBHOOK_ARN"))) {
            problems.add("Job/minio-setup: WEBHOOK_ARN is " + setupEnv.get("WEBHOOK_ARN") + ", MinIO's target is " + arn);
        }
        problems.addAll(endpointsAndBuckets(setupEnv));
        return problems;
    }

    /** Each MinIO client names the minio Service as its endpoint and the setup Job's buckets as its buckets. */
    private List<String> endpointsAndBuckets(Map<String, String> setupEnv) {
        List<String> problems = new ArrayList<>();
        ObjectNode minioService = Manifests.find(docs, "Service", "minio").orElse(null);
        String s3 = minioService == null ? "<no Service minio>" : "http://minio."
                + minioService.at("/metadata/namespace").asText() + ".svc.cluster.local:"
                + minioService.at("/spec/ports/0/port").asText();
        Map<String, Map<String, String>> users = new LinkedHashMap<>();
        for (String function : FunctionEnvironment.SETTINGS.keySet()) {
            knativeService(docs, function).ifPresent(s -> users.put("Service/" + function, containerEnv(s)));
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
}
