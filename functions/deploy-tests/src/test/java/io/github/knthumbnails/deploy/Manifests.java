package io.github.knthumbnails.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The repository's deployment files as parsed YAML documents, so tests can validate them and mutate copies
 * in memory.
 */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The kustomizations a user applies, in deploy order. */
    static final List<String> KUSTOMIZATIONS = List.of("minio/overlays/standalone", "minio/overlays/distributed",
            "eventing", "knative");

    private Manifests() {
    }

    /** @return the repository root (Maven passes it as {@code thumbnails.root}) */
    static Path root() {
        return Paths.get(System.getProperty("thumbnails.root", "../..")).toAbsolutePath().normalize();
    }

    /**
     * @param text YAML, possibly several {@code ---}-separated documents
     * @return the non-empty documents, as objects
     */
    static List<ObjectNode> parse(String text) {
        try (var parser = YAML.getFactory().createParser(text)) {
            List<ObjectNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc instanceof ObjectNode object) {
                    docs.add(object);
                }
            });
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param relative a file below the root
     * @return its documents
     */
    static List<ObjectNode> file(String relative) {
        try {
            return parse(Files.readString(root().resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param directory a folder below the root
     * @return its YAML manifests (not {@code kustomization.yaml}), sorted
     */
    static List<Path> yamlFiles(String directory) throws IOException {
        try (Stream<Path> files = Files.list(root().resolve(directory))) {
            return files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }

    /**
     * Renders a kustomization with {@code kubectl kustomize} (skips or fails per {@link ExternalTool}).
     *
     * @param relative the kustomization's folder below the root
     * @return the rendered documents
     */
    static List<ObjectNode> kustomize(String relative) throws IOException {
        ExternalTool.require("kubectl", "install kubectl, e.g. from https://pkgs.k8s.io; .ci/run shows how");
        ExternalTool.Result result = ExternalTool.run(root(), List.of(), "kubectl", "kustomize", relative);
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl kustomize " + relative + " failed:\n" + result.output());
        }
        return parse(result.output());
    }

    /**
     * Everything a user applies with the standalone MinIO: rendered kustomizations.
     *
     * @return the documents of minio/overlays/standalone, eventing and knative
     */
    static List<ObjectNode> deployment() throws IOException {
        List<ObjectNode> all = new ArrayList<>();
        for (String k : List.of("minio/overlays/standalone", "eventing", "knative")) {
            all.addAll(kustomize(k));
        }
        return all;
    }

    /**
     * @param docs documents
     * @param kind a kind
     * @param name a name
     * @return the first document of that kind and name
     */
    static Optional<ObjectNode> find(List<ObjectNode> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText()))
                .filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst();
    }

    /**
     * @param docs documents
     * @return deep copies, for mutation
     */
    static List<ObjectNode> copy(List<ObjectNode> docs) {
        return docs.stream().map(ObjectNode::deepCopy).toList();
    }

    /** @return the value at a JSON pointer, e.g. {@code /spec/template/spec} */
    static JsonNode at(JsonNode node, String pointer) {
        return node.at(pointer);
    }
}
