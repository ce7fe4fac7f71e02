package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Applies image layers, in order, to a folder: regular files, folders, symbolic and hard links, with the
 * entry's permission bits and modification time; {@code .wh.<name>} deletes {@code <name>} from earlier layers and
 * {@code .wh..wh..opq} empties its folder (OCI image spec, layer.md "Whiteouts"). A later layer's file replaces an
 * earlier one. Folder times are set once every layer is in ({@link #finish()}), since writing into a folder
 * changes its time.
 */
final class LayerExtractor {

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final Path root;
    private final Map<Path, TarArchiveEntry> folders = new LinkedHashMap<>();

    /** @param root the absolute, normalised folder layers are applied to */
    LayerExtractor(Path root) {
        this.root = root;
    }

    /**
     * Applies one layer.
     *
     * @param layer the layer tar, gzip'd or not (told apart by the gzip magic bytes)
     * @throws IOException if it cannot be read or an entry points outside the root
     */
    void apply(InputStream layer) throws IOException {
        layer.mark(2);
        boolean gzip = layer.read() == 0x1f && layer.read() == 0x8b;
        layer.reset();
        InputStream plain = gzip ? new GzipCompressorInputStream(layer, true) : layer;
        List<TarArchiveEntry> hardLinks = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = inside(entry.getName());
                String name = target.getFileName() == null ? "" : target.getFileName().toString();
                if (name.equals(OPAQUE)) {
                    emptyFolder(target.getParent());
                } else if (name.startsWith(WHITEOUT)) {
                    ImageRoot.deleteRecursively(target.resolveSibling(name.substring(WHITEOUT.length())));
                } else if (entry.isDirectory()) {
                    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        ImageRoot.deleteRecursively(target);
                        Files.createDirectories(target);
                    }
                    folders.put(target, entry);
                } else if (entry.isSymbolicLink()) {
                    replace(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    hardLinks.add(entry);
                } else if (entry.isFile()) {
                    replace(target);
                    Files.copy(tar, target);
                    stamp(target, entry);
                }
            }
        }
        for (TarArchiveEntry link : hardLinks) {
            Path target = inside(link.getName());
            replace(target);
            Files.copy(inside(link.getLinkName()), target, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /**
     * Sets every folder's mode and time, deepest first.
     *
     * @throws IOException if a folder cannot be changed
     */
    void finish() throws IOException {
        List<Path> paths = new ArrayList<>(folders.keySet());
        paths.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()));
        for (Path folder : paths) {
            if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                stamp(folder, folders.get(folder));
            }
        }
    }

    private Path inside(String name) throws IOException {
        Path target = root.resolve(name.replaceFirst("^(\\./|/)+", "")).normalize();
        if (!target.startsWith(root)) {
            throw new IOException("layer entry " + name + " points outside the image root");
        }
        return target;
    }

    private void replace(Path target) throws IOException {
        ImageRoot.deleteRecursively(target);
        Files.createDirectories(target.getParent());
    }

    private static void emptyFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(folder)) {
                for (Path child : children.toList()) {
                    ImageRoot.deleteRecursively(child);
                }
            }
        }
    }

    private static void stamp(Path path, TarArchiveEntry entry) throws IOException {
        Set<PosixFilePermission> permissions = permissions(entry.getMode());
        if (Files.isDirectory(path)) {
            // The owner keeps write access, or a later layer (and the next extraction) could not write into it.
            permissions.add(PosixFilePermission.OWNER_WRITE);
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
        }
        Files.setPosixFilePermissions(path, permissions);
        Files.setLastModifiedTime(path, FileTime.from(entry.getLastModifiedTime().toInstant()));
    }

    /**
     * @param mode a tar entry's mode
     * @return its permission bits (set-id and sticky bits dropped)
     */
    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                out.add(bits[i]);
            }
        }
        return out;
    }
}
