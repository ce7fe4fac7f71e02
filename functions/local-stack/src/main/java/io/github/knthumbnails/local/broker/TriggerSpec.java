package io.github.knthumbnails.local.broker;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The parts of a Knative Trigger ({@code eventing.knative.dev/v1}, knative/eventing
 * {@code pkg/apis/eventing/v1/trigger_types.go}) the local Broker acts on, read from the same YAML file that is
 * applied to a cluster.
 *
 * <ul>
 *   <li>{@code spec.filters} (see {@link EventFilter}); when it is absent or empty, the legacy
 *       {@code spec.filter.attributes}; with neither, every event passes (Knative's rule);</li>
 *   <li>{@code spec.subscriber} and {@code spec.delivery.deadLetterSink}: Destinations ({@code ref} and/or
 *       {@code uri}). A {@code ref} is looked up by {@code name} in the map of local services (its
 *       {@code apiVersion}, {@code kind} and {@code namespace} are not checked); a {@code uri} next to a
 *       {@code ref} is resolved against the ref's URL (RFC 3986 §5.2, as knative.dev/pkg's resolver does), a
 *       {@code uri} alone must be absolute;</li>
 *   <li>{@code spec.delivery}: see {@link DeliverySpec}.</li>
 * </ul>
 * {@code spec.broker} is not read: the local Broker is the only one. A Broker-level {@code delivery} (the default
 * for Triggers without their own) is not read either.
 *
 * @param name       {@code metadata.name}, for logs
 * @param filter     which events are delivered
 * @param subscriber the subscriber's URL
 * @param delivery   retries, timeout and dead-letter sink
 */
record TriggerSpec(String name, EventFilter filter, URI subscriber, DeliverySpec delivery) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Reads and checks a Trigger file.
     *
     * @param file     the YAML file holding one Trigger
     * @param services Knative Service name to its local base URL, e.g. {@code resize} to
     *                 {@code http://127.0.0.1:8081/}
     * @return the Trigger
     * @throws IOException              if the file cannot be read or is not YAML
     * @throws IllegalArgumentException naming the file and the field: not a Trigger, an unsupported filter
     *                                  dialect or delivery field, a Destination naming a service the map does not
     *                                  have, or a malformed value
     */
    static TriggerSpec read(Path file, Map<String, URI> services) throws IOException {
        JsonNode root = YAML.readTree(Files.readAllBytes(file));
        try {
            return of(root, services);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static TriggerSpec of(JsonNode root, Map<String, URI> services) {
        if (root == null || !"Trigger".equals(root.path("kind").asText())
                || !root.path("apiVersion").asText().startsWith("eventing.knative.dev/")) {
            throw new IllegalArgumentException("not a Knative Trigger (apiVersion eventing.knative.dev/v1, kind"
                    + " Trigger)");
        }
        JsonNode spec = root.path("spec");
        EventFilter filter;
        if (spec.path("filters").size() > 0) {
            filter = EventFilter.ofFilters(spec.get("filters"), "spec.filters");
        } else if (spec.path("filter").has("attributes")) {
            filter = EventFilter.ofAttributes(spec.get("filter").get("attributes"), "spec.filter.attributes");
        } else {
            filter = event -> EventFilter.Result.NONE;
        }
        if (!spec.has("subscriber")) {
            throw new IllegalArgumentException("spec.subscriber is missing");
        }
        URI subscriber = destination(spec.get("subscriber"), "spec.subscriber", services);
        DeliverySpec delivery = DeliverySpec.parse(spec.path("delivery"), "spec.delivery",
                sink -> destination(sink, "spec.delivery.deadLetterSink", services));
        return new TriggerSpec(root.path("metadata").path("name").asText("trigger"), filter, subscriber, delivery);
    }

    /** A Destination ({@code knative.dev/pkg/apis/duck/v1} {@code Destination}) to a URL. */
    private static URI destination(JsonNode node, String where, Map<String, URI> services) {
        URI base = null;
        if (node.has("ref")) {
            String name = node.get("ref").path("name").asText("");
            base = services.get(name);
            if (base == null) {
                throw new IllegalArgumentException(where + ".ref names the service '" + name + "', which is not"
                        + " running locally (known: " + String.join(", ", new TreeSet<>(services.keySet())) + ")");
            }
            if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
                base = base.resolve("/"); // "http://host" + "x" must give http://host/x, not http://hostx
            }
        }
        if (!node.hasNonNull("uri")) {
            if (base == null) {
                throw new IllegalArgumentException(where + " needs a ref or a uri");
            }
            return base;
        }
        URI uri;
        try {
            uri = new URI(node.get("uri").asText());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + ".uri is not a URI: " + e.getMessage(), e);
        }
        URI resolved = base == null ? uri : base.resolve(uri);
        if (!resolved.isAbsolute() || !("http".equals(resolved.getScheme()) || "https".equals(resolved.getScheme()))) {
            throw new IllegalArgumentException(where + ".uri must be an absolute http(s) URL when there is no ref,"
                    + " was " + uri);
        }
        return resolved;
    }
}
