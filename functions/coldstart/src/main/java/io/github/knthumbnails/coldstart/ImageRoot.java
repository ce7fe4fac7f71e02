package io.github.knthumbnails.coldstart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A container image (a Jib {@code jib:buildTar} tarball, Docker format) extracted into a folder, so its own JVM,
 * classpath and flags can be run on this machine without a container runtime.
 *
 * <p>Docker's image tarball ({@code docker save} format, moby {@code image/spec/v1.2.md}): {@code manifest.json}
 * names the config file and the layer tars in order; each layer (plain or gzip'd tar) is applied on top of the
 * previous ones, a {@code .wh.<name>} entry deleting {@code <name>} (OCI image spec, "Whiteouts"). Files keep the
 * modes and modification times the tarball records: the JDK's AOT cache validates every jar of the classpath by
 * size and mtime, and Jib stamps every file with epoch + 1 s.
 *
 * <p>{@link #command()} and {@link #env()} move every absolute path of the image under the extraction folder; the
 * JDK 25 AOT cache accepts a classpath moved to another prefix when its structure is unchanged.
 */
public final class ImageRoot {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final long tarBytes;
    private final List<String> entrypoint;
    private final List<String> cmd;
    private final List<String> env;
    private final String workingDir;

    private ImageRoot(Path root, long tarBytes, JsonNode config) {
        this.root = root;
        this.tarBytes = tarBytes;
        this.entrypoint = strings(config.path("Entrypoint"));
        this.cmd = strings(config.path("Cmd"));
        this.env = strings(config.path("Env"));
        String dir = config.path("WorkingDir").asText("");
        this.workingDir = dir.isEmpty() ? "/" : dir;
    }

    /**
     * Extracts an image tarball. The target folder is emptied first.
     *
     * @param tarball a Docker-format image tarball, e.g. {@code functions/resize/target/jib-layout.tar}
     * @param target  the folder to extract into (created when missing)
     * @return the extracted image
     * @throws IOException if the tarball cannot be read, has no {@code manifest.json}, or a layer entry would land
     *                     outside the target folder
     */
    public static ImageRoot extract(Path tarball, Path target) throws IOException {
        return extract(tarball, target, true);
    }

    /**
     * Like {@link #extract}, but keeps the target folder when it already holds this very tarball: same path, size
     * and modification time, as recorded in {@code <target>.tarball} after the last complete extraction. The local
     * stack starts a function from its image this way without unpacking ~100 MB on every start.
     *
     * @param tarball a Docker-format image tarball
     * @param target  the folder to extract into
     * @return the extracted image
     * @throws IOException as {@link #extract}
     */
    public static ImageRoot extractOnce(Path tarball, Path target) throws IOException {
        Path marker = target.resolveSibling(target.getFileName() + ".tarball");
        String identity = tarball.toAbsolutePath().normalize() + " " + Files.size(tarball) + " "
                + Files.getLastModifiedTime(tarball).toMillis();
        boolean current = Files.isDirectory(target) && Files.exists(marker)
                && Files.readString(marker).equals(identity);
        if (current) {
            return extract(tarball, target, false);
        }
        Files.deleteIfExists(marker);
        ImageRoot image = extract(tarball, target, true);
        Files.writeString(marker, identity);
        return image;
    }

    private static ImageRoot extract(Path tarball, Path target, boolean layers) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        if (layers) {
            deleteRecursively(root);
            Files.createDirectories(root);
        }
        try (TarFile tar = new TarFile(tarball)) {
            Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
            tar.getEntries().forEach(e -> entries.put(strip(e.getName()), e));
            TarArchiveEntry manifestEntry = entries.get("manifest.json");
            if (manifestEntry == null) {
                throw new IOException(tarball + " is not a Docker-format image tarball: no manifest.json");
            }
            JsonNode manifest = read(tar, manifestEntry).get(0);
            if (manifest == null) {
                throw new IOException(tarball + ": manifest.json lists no image");
            }
            JsonNode config = read(tar, require(entries, manifest.path("Config").asText(), tarball)).path("config");
            if (layers) {
                LayerExtractor extractor = new LayerExtractor(root);
                for (JsonNode layer : manifest.path("Layers")) {
                    try (InputStream in = new BufferedInputStream(
                            tar.getInputStream(require(entries, layer.asText(), tarball)))) {
                        extractor.apply(in);
                    }
                }
                extractor.finish();
            }
            return new ImageRoot(root, Files.size(tarball), config);
        }
    }

    /** @return the extraction folder (absolute) */
    public Path root() {
        return root;
    }

    /** @return the config's {@code Entrypoint} as the image declares it (image paths) */
    public List<String> entrypoint() {
        return entrypoint;
    }

    /** @return the config's {@code Cmd} (image paths), empty when none */
    public List<String> cmd() {
        return cmd;
    }

    /** @return the config's {@code WorkingDir} as an image path, {@code /} when none */
    public String workingDir() {
        return workingDir;
    }

    /** @return the working folder moved under the root */
    public Path workingDirectory() {
        return host(workingDir);
    }

    /**
     * The command the container would run (Entrypoint then Cmd), with every absolute path moved under the root
     * ({@link PathRewriter}); {@code @argfile} arguments are read from inside the root and inlined.
     *
     * @return the command, ready for a {@link ProcessBuilder}
     * @throws IllegalStateException if the image declares no Entrypoint or Cmd
     * @throws UncheckedIOException  if an argfile is missing from the image
     */
    public List<String> command() {
        List<String> declared = new ArrayList<>(entrypoint);
        declared.addAll(cmd);
        if (declared.isEmpty()) {
            throw new IllegalStateException("the image declares neither an Entrypoint nor a Cmd");
        }
        return new PathRewriter(root).command(declared);
    }

    /**
     * The image's {@code Env}, as a map in declaration order, with the paths of {@code PATH} and of other
     * path-valued variables moved under the root, and JVM option variables ({@code JAVA_TOOL_OPTIONS},
     * {@code JDK_JAVA_OPTIONS}) rewritten as {@link #command()} rewrites arguments.
     *
     * @return variable name to value
     */
    public Map<String, String> env() {
        PathRewriter rewriter = new PathRewriter(root);
        Map<String, String> out = new LinkedHashMap<>();
        for (String entry : env) {
            int eq = entry.indexOf('=');
            String name = eq < 0 ? entry : entry.substring(0, eq);
            String value = eq < 0 ? "" : entry.substring(eq + 1);
            out.put(name, rewriter.envValue(name, value));
        }
        return out;
    }

    /**
     * @param imagePath an absolute path inside the image, e.g. {@code /app/aot/resize.aot}
     * @return where it is on this machine
     */
    public Path host(String imagePath) {
        return root.resolve(imagePath.replaceFirst("^/+", "")).normalize();
    }

    /**
     * Bytes of the tarball and of the extracted files, in total and by part of the layout.
     *
     * @return the sizes
     * @throws UncheckedIOException if the extracted folder cannot be walked
     */
    public ImageSizes sizes() {
        return ImageSizes.measure(root, tarBytes);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return List.copyOf(out);
    }

    private static String strip(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    private static TarArchiveEntry require(Map<String, TarArchiveEntry> entries, String name, Path tarball)
            throws IOException {
        TarArchiveEntry entry = entries.get(strip(name));
        if (entry == null) {
            throw new IOException(tarball + ": manifest.json names " + name + ", which the tarball does not hold");
        }
        return entry;
    }

    private static JsonNode read(TarFile tar, TarArchiveEntry entry) throws IOException {
        try (InputStream in = tar.getInputStream(entry)) {
            return JSON.readTree(in);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            // A read-only folder (mode 555 from a layer) must be writable for its entries to go.
            path.toFile().setWritable(true, true);
            try (var children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteRecursively(child);
                }
            }
        }
        Files.delete(path);
    }
}
