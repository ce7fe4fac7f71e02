package io.github.knthumbnails.deploy;

import static io.github.knthumbnails.deploy.CrossReferences.containerEnv;
import static io.github.knthumbnails.deploy.CrossReferences.knativeService;
import static io.github.knthumbnails.deploy.CrossReferences.lookup;
import static io.github.knthumbnails.deploy.CrossReferences.name;
import static io.github.knthumbnails.deploy.CrossReferences.ofKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventNames;

/**
 * The event routing of the deployment, checked offline: every Trigger, Broker and SinkBinding names objects that
 * exist, dead letters go to the cluster-local dead-letter Service, and the resize Trigger passes exactly the S3
 * event types that change an upload's content. Input: the rendered deployment; each check returns readable
 * problems, an empty list when it holds. Part of {@link CrossReferences#all()}.
 *
 * @param docs the rendered deployment
 * @param func the parsed kn-func.yaml (for the trust-boundary rules the dead-letter sink must meet)
 */
record EventRouting(List<ObjectNode> docs, ObjectNode func) {

    /** Trigger brokers, subscribers and every dead-letter sink name objects that exist. */
    List<String> destinations() {
        List<String> problems = new ArrayList<>();
        TrustBoundary boundary = new TrustBoundary(docs, func);
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
                if (!boundary.isDeadLetterService(dls.at("/ref/name").asText())
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
        List<ObjectNode> bindings = ofKind(docs, "SinkBinding");
        if (bindings.isEmpty()) {
            problems.add("no SinkBinding: nothing would set K_SINK of the minio-source");
        }
        for (ObjectNode b : bindings) {
            String label = "SinkBinding/" + name(b);
            JsonNode subject = b.at("/spec/subject");
            if (lookup(docs, subject).isEmpty()) {
                problems.add(label + ": spec.subject " + subject.path("kind").asText() + " '"
                        + subject.path("name").asText() + "' does not exist");
            }
            problems.addAll(ref(label + ": spec.sink", b.at("/spec/sink")));
        }
        return problems;
    }

    /**
     * The resize Trigger passes exactly the content-creating and content-removing S3 types of the upload buckets
     * (issue 8, finding 4: removals delete the key's renditions and job record); nothing else, e.g. tagging.
     */
    List<String> triggerFilters() {
        List<String> problems = new ArrayList<>();
        ObjectNode trigger = CrossReferences.resizeTrigger(docs).orElse(null);
        if (trigger == null) {
            return List.of("no Trigger subscribes the resize Service");
        }
        String label = "Trigger/" + name(trigger);
        Set<String> types = new TreeSet<>();
        trigger.at("/spec/filters").forEach(filter -> exactTypes(filter, types));
        for (String type : types) {
            String eventName = type.startsWith(S3CloudEvents.TYPE_PREFIX)
                    ? type.substring(S3CloudEvents.TYPE_PREFIX.length()) : "";
            if (!S3EventNames.createsContent(eventName) && !S3EventNames.removesContent(eventName)) {
                problems.add(label + ": type " + type + " neither creates nor removes an object's content");
            }
        }
        for (String name : List.of("ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy",
                "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated",
                "ObjectRemoved:DeleteAllVersions")) {
            if (!types.contains(S3CloudEvents.type(name))) {
                problems.add(label + ": " + name + " is not routed to resize");
            }
        }
        Set<String> suffixes = new TreeSet<>(trigger.at("/spec/filters").findValuesAsText("source"));
        String uploads = knativeService(docs, "resize").map(s -> containerEnv(s).get("UPLOAD_BUCKETS")).orElse("");
        Set<String> expected = new TreeSet<>();
        for (String bucket : uploads.split(",")) {
            expected.add("." + bucket.strip());
        }
        if (!suffixes.equals(expected)) {
            problems.add(label + ": source suffixes " + suffixes + " do not match UPLOAD_BUCKETS " + expected);
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

    /** A destination ({@code ref} or {@code uri}) whose {@code ref} names an object of the deployment. */
    private List<String> ref(String label, JsonNode destination) {
        JsonNode ref = destination.path("ref");
        if (ref.isMissingNode()) {
            return destination.has("uri") ? List.of() : List.of(label + " has neither ref nor uri");
        }
        return lookup(docs, ref).isPresent()
                ? List.of()
                : List.of(label + " names " + ref.path("kind").asText() + " '" + ref.path("name").asText()
                        + "', which the deployment does not have");
    }

    /** @return the path the status function takes dead letters at ({@code DeadLetters.PATH}) */
    private static String deadLetterPath() {
        try {
            return (String) Class.forName("io.github.knthumbnails.status.DeadLetters").getField("PATH").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the status module's classes are not on the test class path", e);
        }
    }
}
