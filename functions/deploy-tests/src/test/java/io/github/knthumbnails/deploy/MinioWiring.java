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
 * target's ARN; and every function, kn-func.yaml and the setup Job agree on the MinIO endpoint and the buckets,
 * and on the status function's uploads from the browser. Inputs: the rendered deployment and kn-func.yaml;
 * {@link #wiring()} and {@link #browserUploads()} return readable problems, an empty list when it holds. Part of {@link CrossReferences#all()}.
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

    /**
     * The status function's uploads from the browser (issue 12) and MinIO agree: the status user may write the
     * upload prefix (setup Job {@code STATUS_BROWSER_UPLOADS}, {@code STATUS_UPLOADS_PREFIX}) exactly when the
     * public status Service signs forms for it ({@code BROWSER_UPLOADS}, {@code UPLOADS_PREFIX}): otherwise every
     * form would be refused, or the grant would be a write nobody needs. And storage's limit on a form upload
     * ({@code MAX_IMAGE_BYTES} of status) is resize's limit.
     */
    List<String> browserUploads() {
        List<String> problems = new ArrayList<>();
        Map<String, String> status = knativeService(docs, "status").map(CrossReferences::containerEnv)
                .orElse(Map.of());
        Map<String, String> setup = Manifests.find(docs, "Job", "minio-setup").map(CrossReferences::containerEnv)
                .orElse(Map.of());
        Map<String, String> resize = knativeService(docs, "resize").map(CrossReferences::containerEnv)
                .orElse(Map.of());
        String signs = status.getOrDefault("BROWSER_UPLOADS", "false");
        String granted = setup.getOrDefault("STATUS_BROWSER_UPLOADS", "false");
        if (!signs.equals(granted)) {
            problems.add("Service/status: BROWSER_UPLOADS is " + signs + " but Job/minio-setup has"
                    + " STATUS_BROWSER_UPLOADS " + granted + ": the status user's s3:PutObject on the upload prefix"
                    + " must be granted exactly when status signs upload forms");
        }
        if ("true".equals(signs) && !String.valueOf(status.get("UPLOADS_PREFIX"))
                .equals(setup.get("STATUS_UPLOADS_PREFIX"))) {
            problems.add("Service/status: UPLOADS_PREFIX '" + status.get("UPLOADS_PREFIX") + "' is not the prefix"
                    + " Job/minio-setup lets the status user write ('" + setup.get("STATUS_UPLOADS_PREFIX") + "')");
        }
        if (!String.valueOf(status.get("MAX_IMAGE_BYTES")).equals(resize.get("MAX_IMAGE_BYTES"))) {
            problems.add("Service/status: MAX_IMAGE_BYTES " + status.get("MAX_IMAGE_BYTES") + " differs from"
                    + " resize's " + resize.get("MAX_IMAGE_BYTES") + ": storage would accept uploads resize refuses,"
                    + " or refuse ones it takes");
        }
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
