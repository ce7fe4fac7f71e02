package io.github.knthumbnails.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deployment's cross-references hold ({@link CrossReferences#all()}), and each check fails on a seeded mistake. */
class CrossReferenceTest {

    private List<ObjectNode> docs;
    private ObjectNode func;
    private Set<String> secretKeys;

    @BeforeEach
    void load() throws IOException {
        docs = Manifests.deployment();
        func = Manifests.file("kn-func.yaml").get(0);
        secretKeys = new TreeSet<>();
        for (String line : Files.readAllLines(Manifests.root().resolve("minio/credentials.example.env"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                secretKeys.add(line.substring(0, line.indexOf('=')));
            }
        }
    }

    private CrossReferences checks() {
        return new CrossReferences(docs, func, secretKeys);
    }

    private EventRouting routing() {
        return new EventRouting(docs, func);
    }

    private FunctionEnvironment environment() {
        return new FunctionEnvironment(docs, func, secretKeys);
    }

    private ObjectNode get(String kind, String name) {
        return Manifests.find(docs, kind, name).orElseThrow();
    }

    private static ArrayNode env(ObjectNode workload) {
        return (ArrayNode) workload.at("/spec/template/spec/containers/0/env");
    }

    private static void removeEnv(ArrayNode env, String name) {
        for (Iterator<JsonNode> it = env.elements(); it.hasNext(); ) {
            if (name.equals(it.next().path("name").asText())) {
                it.remove();
            }
        }
    }

    private static void setEnv(ArrayNode env, String name, String value) {
        for (JsonNode e : env) {
            if (name.equals(e.path("name").asText())) {
                ((ObjectNode) e).put("value", value);
            }
        }
    }

    @Test
    void theDeploymentIsConsistent() {
        assertThat(checks().all()).isEmpty();
    }

    @Test
    void theFunctionsReadWhatTheCodeSaysTheyRead() {
        // Guards the derivation itself: the lists come from the code and are not empty.
        assertThat(FunctionEnvironment.variables(FunctionEnvironment.SETTINGS.get("resize")))
                .contains("MINIO_ENDPOINT", "RENDITIONS", "MAX_IMAGE_PIXELS");
        assertThat(FunctionEnvironment.variables(FunctionEnvironment.SETTINGS.get("minio-source"))).contains("K_SINK");
    }

    @Test
    void aWrongServiceNameInATriggerSubscriberIsCaught() {
        ((ObjectNode) get("Trigger", "resize-on-upload").at("/spec/subscriber/ref")).put("name", "resizer");

        assertThat(routing().destinations()).containsExactly(
                "Trigger/resize-on-upload: spec.subscriber names Service 'resizer', which the deployment does not have");
    }

    @Test
    void aWrongDeadLetterSinkOrBrokerIsCaught() {
        ((ObjectNode) get("Broker", "default").at("/spec/delivery/deadLetterSink/ref")).put("name", "statuss");
        ((ObjectNode) get("Trigger", "resize-on-upload").get("spec")).put("broker", "defualt");

        assertThat(routing().destinations()).containsExactlyInAnyOrder(
                "Broker/default: spec.delivery.deadLetterSink names Service 'statuss', which the deployment does not have",
                DLS_SHOULD.replace("%s", "Broker/default"),
                "Trigger/resize-on-upload: spec.broker 'defualt' is not a Broker of the deployment");
    }

    @Test
    void aDeadLetterSinkAtTheWrongPathOrNoneIsCaught() {
        ((ObjectNode) get("Trigger", "resize-on-upload").at("/spec/delivery/deadLetterSink")).put("uri", "/deadletter");
        ((ObjectNode) get("Broker", "default").at("/spec/delivery")).remove("deadLetterSink");

        assertThat(routing().destinations()).containsExactlyInAnyOrder(
                DLS_SHOULD.replace("%s", "Trigger/resize-on-upload"),
                "Broker/default: no spec.delivery.deadLetterSink: an exhausted delivery would leave the job pending"
                        + " for ever");
    }

    private static final String DLS_SHOULD = "%s: spec.delivery.deadLetterSink should be a cluster-local Service of"
            + " the status image with STATUS_ROUTES=dead-letter, at uri /dead-letter (where it records the job as"
            + " failed)";

    @Test
    void aDeadLetterSinkOnThePublicStatusServiceIsCaught() {
        // The state before issue 8: the public status Service took dead letters.
        ((ObjectNode) get("Broker", "default").at("/spec/delivery/deadLetterSink/ref")).put("name", "status");

        assertThat(routing().destinations()).containsExactly(DLS_SHOULD.replace("%s", "Broker/default"));
    }

    @Test
    void aDeadLetterServiceThatLosesItsClusterLocalVisibilityIsCaught() {
        ((ObjectNode) get("Service", "status-dead-letter").at("/metadata/labels"))
                .remove("networking.knative.dev/visibility");

        assertThat(routing().destinations()).containsExactlyInAnyOrder(DLS_SHOULD.replace("%s", "Broker/default"),
                DLS_SHOULD.replace("%s", "Trigger/resize-on-upload"));
        assertThat(new TrustBoundary(docs, func).deadLetterRoutes()).containsExactly("Service/status-dead-letter: has"
                + " a public route, so STATUS_ROUTES must be 'public' (is 'dead-letter'): anyone could post forged"
                + " dead letters");
    }

    @Test
    void aPublicStatusServiceThatServesDeadLettersIsCaught() {
        setEnv(env(get("Service", "status")), "STATUS_ROUTES", "all");

        assertThat(new TrustBoundary(docs, func).deadLetterRoutes()).containsExactly("Service/status: has a public"
                + " route, so STATUS_ROUTES must be 'public' (is 'all'): anyone could post forged dead letters");
    }

    @Test
    void aMinioUserSharedBetweenFunctionsIsCaught() {
        ObjectNode ref = (ObjectNode) env(get("Service", "status")).findParent("key");
        ref.put("key", "resize-access-key");

        assertThat(new TrustBoundary(docs, func).minioUsers()).containsExactlyInAnyOrder(
                "Service/status: MINIO_ACCESS_KEY comes from Secret key resize-access-key, but Job/minio-setup creates"
                        + " its user from status-access-key (STATUS_ACCESS_KEY)",
                "Service/status and Service/resize share the MinIO user resize-access-key: each function gets its own,"
                        + " with least privilege");
    }

    @Test
    void minioCredentialsForTheMinioSourceAreCaught() {
        env(get("Service", "minio-source")).addObject().put("name", "MINIO_ACCESS_KEY").putObject("valueFrom")
                .putObject("secretKeyRef").put("name", "thumbnails-credentials").put("key", "resize-access-key");

        assertThat(new TrustBoundary(docs, func).minioUsers()).containsExactly(
                "Service/minio-source: has MinIO credentials but no MinIO user of its own");
    }

    @Test
    void aNetworkPolicyThatAdmitsEveryoneIsCaught() {
        ((ObjectNode) get("NetworkPolicy", "broker-subscribers").at("/spec/ingress/0")).remove("from");

        assertThat(new TrustBoundary(docs, func).networkPolicies()).containsExactlyInAnyOrder(
                "Service/resize: NetworkPolicies admit [anyone], should be exactly [namespace knative-eventing,"
                        + " namespace knative-serving, namespace kourier-system]",
                "Service/status-dead-letter: NetworkPolicies admit [anyone], should be exactly [namespace"
                        + " knative-eventing, namespace knative-serving, namespace kourier-system]");
    }

    @Test
    void minioAdmittingAPodWithoutAUserAndNoDefaultDenyAreCaught() {
        ((com.fasterxml.jackson.databind.node.ArrayNode) get("NetworkPolicy", "minio")
                .at("/spec/ingress/0/from/0/podSelector/matchExpressions/0/values")).add("minio-source");
        docs = docs.stream().filter(d -> !"default-deny-ingress".equals(d.at("/metadata/name").asText())).toList();

        assertThat(new TrustBoundary(docs, func).networkPolicies()).containsExactlyInAnyOrder(
                "no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules): pods no"
                        + " policy selects accept traffic from anywhere",
                "StatefulSet/minio: NetworkPolicies admit [Job/minio-setup, Service/minio-source, Service/resize,"
                        + " Service/status, Service/status-dead-letter, StatefulSet/minio], should be exactly"
                        + " [Job/minio-setup, Service/resize, Service/status, Service/status-dead-letter,"
                        + " StatefulSet/minio]");
    }

    @Test
    void aMissingSinkBindingSubjectIsCaught() {
        ((ObjectNode) get("SinkBinding", "minio-source").at("/spec/subject")).put("name", "minio-src");

        assertThat(routing().sinkBinding()).containsExactly(
                "SinkBinding/minio-source: spec.subject Service 'minio-src' does not exist");
    }

    @Test
    void aMissingEnvVarIsCaught() {
        removeEnv(env(get("Service", "resize")), "RENDITIONS");

        assertThat(environment().environment()).containsExactly(
                "Service/resize: does not set [RENDITIONS], which ResizeSettings reads");
    }

    @Test
    void anEnvVarTheFunctionDoesNotReadIsCaught() {
        env(get("Service", "status")).addObject().put("name", "PORT").put("value", "8080");

        assertThat(environment().environment()).containsExactly(
                "Service/status: sets [PORT], which the function does not read (Knative sets PORT and K_* itself)");
    }

    @Test
    void aValueTheFunctionWouldRejectIsCaught() {
        setEnv(env(get("Service", "resize")), "RENDITIONS", "thumb:100by100");

        assertThat(environment().environment()).singleElement().asString()
                .startsWith("Service/resize: ResizeSettings rejects the values: ");
    }

    @Test
    void knFuncYamlMustSetTheSameVariables() {
        removeEnv((ArrayNode) func.at("/run/envs"), "MAX_IMAGE_BYTES");

        assertThat(environment().environment()).containsExactly(
                "kn-func.yaml run.envs: does not set [MAX_IMAGE_BYTES], which ResizeSettings reads");
    }

    @Test
    void aSecretKeyThatDoesNotExistIsCaught() {
        ObjectNode ref = (ObjectNode) env(get("Service", "resize")).findParent("key");
        ref.put("key", "app-acess-key");

        assertThat(environment().secrets()).anyMatch(p -> p.startsWith(
                "Service/resize: secretKeyRef thumbnails-credentials/app-acess-key does not exist"));
    }

    @Test
    void theWebhookMustPointAtTheMinioSource() {
        setEnv(env(get("StatefulSet", "minio")), "MINIO_NOTIFY_WEBHOOK_ENDPOINT_PRIMARY",
                "http://minio-sorce.thumbnails.svc.cluster.local");

        assertThat(new MinioWiring(docs, func).wiring()).containsExactly("StatefulSet/minio: MINIO_NOTIFY_WEBHOOK_ENDPOINT_PRIMARY is "
                + "http://minio-sorce.thumbnails.svc.cluster.local but the minio-source Service (the SinkBinding's "
                + "subject) is at http://minio-source.thumbnails.svc.cluster.local");
    }

    @Test
    void bucketsAndArnMustAgreeWithTheSetupJob() {
        setEnv(env(get("Service", "status")), "THUMBNAILS_BUCKET", "thumbs");
        setEnv(env(get("Job", "minio-setup")), "WEBHOOK_ARN", "arn:minio:sqs::primary:webhook");

        assertThat(new MinioWiring(docs, func).wiring()).containsExactlyInAnyOrder(
                "Job/minio-setup: WEBHOOK_ARN is arn:minio:sqs::primary:webhook, MinIO's target is "
                        + "arn:minio:sqs::PRIMARY:webhook",
                "Service/status: THUMBNAILS_BUCKET 'thumbs' differs from the buckets Job/minio-setup creates and "
                        + "subscribes ('thumbnails')");
    }

    /** Issue 12: forms signed by status are only worth something if MinIO lets the status user write the prefix. */
    @Test
    void browserUploadsMustAgreeWithTheStatusUsersGrantAndResizesLimit() {
        MinioWiring minio = new MinioWiring(docs, func);
        assertThat(minio.browserUploads()).isEmpty();
        setEnv(env(get("Service", "status")), "BROWSER_UPLOADS", "true");
        setEnv(env(get("Service", "status")), "MAX_IMAGE_BYTES", "1000");

        assertThat(minio.browserUploads()).containsExactly(
                "Service/status: BROWSER_UPLOADS is true but Job/minio-setup has STATUS_BROWSER_UPLOADS false: the"
                        + " status user's s3:PutObject on the upload prefix must be granted exactly when status signs"
                        + " upload forms",
                "Service/status: MAX_IMAGE_BYTES 1000 differs from resize's 52428800: storage would accept uploads"
                        + " resize refuses, or refuse ones it takes");

        setEnv(env(get("Job", "minio-setup")), "STATUS_BROWSER_UPLOADS", "true");
        setEnv(env(get("Job", "minio-setup")), "STATUS_UPLOADS_PREFIX", "incoming/");
        setEnv(env(get("Service", "status")), "MAX_IMAGE_BYTES", "52428800");

        assertThat(minio.browserUploads()).containsExactly("Service/status: UPLOADS_PREFIX 'uploads/' is not the"
                + " prefix Job/minio-setup lets the status user write ('incoming/')");
    }

    @Test
    void aTriggerThatWouldResizeOnTaggingIsCaught() {
        ((ObjectNode) get("Trigger", "resize-on-upload").at("/spec/filters/0/any/0/exact"))
                .put("type", "com.amazonaws.s3.ObjectCreated:PutTagging");

        assertThat(routing().triggerFilters()).containsExactlyInAnyOrder(
                "Trigger/resize-on-upload: type com.amazonaws.s3.ObjectCreated:PutTagging neither creates nor removes"
                        + " an object's content",
                "Trigger/resize-on-upload: ObjectCreated:Put is not routed to resize");
    }

    @Test
    void removalsMustBeRoutedToResize() {
        ObjectNode delete = (ObjectNode) get("Trigger", "resize-on-upload").at("/spec/filters/0/any/4/exact");
        assertThat(delete.path("type").asText()).isEqualTo("com.amazonaws.s3.ObjectRemoved:Delete");
        delete.put("type", "com.amazonaws.s3.ObjectRemoved:NoOP");

        assertThat(routing().triggerFilters()).containsExactlyInAnyOrder(
                "Trigger/resize-on-upload: type com.amazonaws.s3.ObjectRemoved:NoOP neither creates nor removes an"
                        + " object's content",
                "Trigger/resize-on-upload: ObjectRemoved:Delete is not routed to resize");
    }

    @Test
    void aTypeThatOnlySitsUnderNotCountsAsNotRouted() {
        ObjectNode put = (ObjectNode) get("Trigger", "resize-on-upload").at("/spec/filters/0/any/0");
        put.putObject("not").set("exact", put.remove("exact"));

        assertThat(routing().triggerFilters()).containsExactly(
                "Trigger/resize-on-upload: ObjectCreated:Put is not routed to resize");
    }

    @Test
    void aMisspeltAutoscalingAnnotationIsCaught() {
        ObjectNode annotations = (ObjectNode) get("Service", "minio-source").at("/spec/template/metadata/annotations");
        annotations.set("autoscaling.knative.dev/minscale", annotations.remove("autoscaling.knative.dev/min-scale"));

        assertThat(new ScalingRules(docs, func).scaling()).anyMatch(p -> p.startsWith(
                "Service/minio-source: unknown annotation autoscaling.knative.dev/minscale"))
                .contains("Service/minio-source: min-scale is '', should be 1");
    }

    @Test
    void resizeScalingRulesAreChecked() {
        ObjectNode resize = get("Service", "resize");
        ((ObjectNode) resize.at("/spec/template/spec")).put("containerConcurrency", 4).put("timeoutSeconds", 60);

        assertThat(new ScalingRules(docs, func).scaling()).contains(
                "Service/resize: the autoscaling target '2' should equal containerConcurrency 4 (a small hard limit for"
                        + " CPU-bound work)",
                "Service/resize: timeoutSeconds 60 must exceed the Trigger's delivery timeout 60 s, so the Broker"
                        + " decides when an attempt failed",
                "kn-func.yaml: deploy.options.resources.limits.concurrency is '2' but knative/resize.yaml says '4'");
    }

    @Test
    void resizeMustKeepScalingToZero() {
        ObjectNode annotations = (ObjectNode) get("Service", "resize").at("/spec/template/metadata/annotations");
        annotations.put("autoscaling.knative.dev/min-scale", "1");

        assertThat(new ScalingRules(docs, func).scaling()).contains("Service/resize: min-scale is '1', should be 0");
    }

    @Test
    void scaleFromZeroValuesKnativeWouldRefuseAreCaught() {
        ObjectNode annotations = (ObjectNode) get("Service", "resize").at("/spec/template/metadata/annotations");
        annotations.put("autoscaling.knative.dev/scale-down-delay", "1.5s")
                .put("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "90m")
                .put("autoscaling.knative.dev/initial-scale", "0")
                .put("autoscaling.knative.dev/activation-scale", "two");
        ((ObjectNode) get("Service", "status").at("/spec/template/metadata/annotations"))
                .put("autoscaling.knative.dev/scale-down-delay", "5 minutes");

        assertThat(new ScalingRules(docs, func).scaleFromZero()).containsExactlyInAnyOrder(
                "Service/resize: scale-down-delay '1.5s' is not a duration from 0s to 1h in whole seconds (Knative"
                        + " refuses it)",
                "Service/resize: scale-to-zero-pod-retention-period '90m' is not a duration from 0s to 1h (Knative"
                        + " refuses it)",
                "Service/resize: initial-scale '0' should be a whole number of pods >= 1 (0 needs"
                        + " allow-zero-initial-scale on the cluster)",
                "Service/resize: activation-scale 'two' should be a whole number of pods >= 1",
                "Service/status: scale-down-delay '5 minutes' is not a duration from 0s to 1h in whole seconds"
                        + " (Knative refuses it)");
    }

    @Test
    void goDurationsAreReadAsKnativeReadsThem() {
        assertThat(ScalingRules.goDuration("1m30s")).contains(Duration.ofSeconds(90));
        assertThat(ScalingRules.goDuration("0")).contains(Duration.ZERO);
        assertThat(ScalingRules.goDuration("250ms")).contains(Duration.ofMillis(250));
        assertThat(ScalingRules.goDuration("1.5h")).contains(Duration.ofMinutes(90));
        assertThat(ScalingRules.goDuration("90")).isEmpty();
        assertThat(ScalingRules.goDuration("s")).isEmpty();
        assertThat(ScalingRules.goDuration("1m 30s")).isEmpty();
    }

    @Test
    void probesThatSlowAColdStartAreCaught() {
        ObjectNode container = (ObjectNode) get("Service", "resize").at("/spec/template/spec/containers/0");
        ((ObjectNode) container.path("readinessProbe")).put("periodSeconds", 1).put("initialDelaySeconds", 2);
        container.putObject("startupProbe").putObject("httpGet").put("path", "/actuator/health/readiness");

        assertThat(new ScalingRules(docs, func).scaleFromZero()).containsExactly(
                "Service/resize: readinessProbe.periodSeconds 1 slows a cold start (leave it unset: queue-proxy then"
                        + " probes every 50 ms)",
                "Service/resize: readinessProbe.initialDelaySeconds 2 slows a cold start (leave it unset:"
                        + " queue-proxy then probes every 50 ms)",
                "Service/resize: a startupProbe gates readiness at kubelet's >= 1 s period and slows a cold start"
                        + " (the liveness probe's initialDelaySeconds covers a slow start)");
    }
}
