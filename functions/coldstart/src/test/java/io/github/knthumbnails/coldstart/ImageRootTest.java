package io.github.knthumbnails.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Date;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageRoot on a Docker-format image tarball the test writes itself, laid out as Jib lays out ours. */
class ImageRootTest {

    private static final Instant JIB_TIME = Instant.ofEpochSecond(1);
    private static final String CONFIG = """
            {"architecture":"amd64","os":"linux","config":{
              "Env":["PATH=/opt/java/bin:/usr/bin","JAVA_TOOL_OPTIONS=-Xss1m -Dx.home=/app/x","LANG=C.UTF-8"],
              "Entrypoint":["/opt/java/bin/java","-XX:AOTCache=/app/aot/resize.aot","-XX:+UseSerialGC",
                "-Dspring.aot.enabled=true","-javaagent:/app/agent.jar","-cp","@/app/jib-classpath-file",
                "io.github.knthumbnails.resize.ResizeApplication"],
              "Cmd":["--spring.main.banner-mode=off"],"WorkingDir":"/app"}}
            """;

    @Test
    void extractsLayersInOrderKeepingModesAndTimesAndApplyingWhiteouts(@TempDir Path dir) throws IOException {
        ImageRoot image = ImageRoot.extract(image(dir), dir.resolve("root"));
        Path root = image.root();

        Path java = root.resolve("opt/java/bin/java");
        assertThat(Files.readString(java)).isEqualTo("#!java");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(java))).isEqualTo("rwxr-xr-x");
        assertThat(Files.getLastModifiedTime(java)).isEqualTo(FileTime.from(JIB_TIME));
        Path jar = root.resolve("app/libs/a.jar");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jar))).isEqualTo("rw-r--r--");
        assertThat(Files.getLastModifiedTime(jar)).isEqualTo(FileTime.from(JIB_TIME));
        // Folder times survive the files written into them afterwards.
        assertThat(Files.getLastModifiedTime(root.resolve("app/libs"))).isEqualTo(FileTime.from(JIB_TIME));
        // The second layer replaces a file of the first and deletes another.
        assertThat(Files.readString(root.resolve("app/classpath/resize.jar"))).isEqualTo("new");
        assertThat(root.resolve("app/libs/old.jar")).doesNotExist();
        assertThat(root.resolve("app/aot/resize.aot")).hasContent("cache");
        assertThat(image.workingDirectory()).isEqualTo(root.resolve("app"));
        assertThat(image.sizes().parts()).containsEntry("/opt/java", 6L).containsEntry("/app/aot", 5L)
                .containsEntry("/app/classpath", 3L);
        assertThat(image.sizes().tarBytes()).isEqualTo(Files.size(dir.resolve("image.tar")));
    }

    @Test
    void theCommandRunsTheImagesOwnFilesWithTheArgfileInlined(@TempDir Path dir) throws IOException {
        ImageRoot image = ImageRoot.extract(image(dir), dir.resolve("root"));
        String r = image.root().toString();

        assertThat(image.command()).containsExactly(r + "/opt/java/bin/java", "-XX:AOTCache=" + r + "/app/aot/resize.aot",
                "-XX:+UseSerialGC", "-Dspring.aot.enabled=true", "-javaagent:" + r + "/app/agent.jar", "-cp",
                r + "/app/classpath/resize.jar:" + r + "/app/libs/a.jar:" + r + "/app/libs/b.jar",
                "io.github.knthumbnails.resize.ResizeApplication", "--spring.main.banner-mode=off");
        assertThat(image.env()).containsEntry("PATH", r + "/opt/java/bin:" + r + "/usr/bin")
                .containsEntry("JAVA_TOOL_OPTIONS", "-Xss1m -Dx.home=" + r + "/app/x")
                .containsEntry("LANG", "C.UTF-8");
        // As declared, for the record.
        assertThat(image.entrypoint()).contains("@/app/jib-classpath-file");
    }

    @Test
    void aTarballWithoutManifestIsRefusedSayingSo(@TempDir Path dir) throws IOException {
        Path tar = dir.resolve("plain.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            file(out, "hello.txt", "hi", 0644);
        }

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageRoot.extract(tar, dir.resolve("root")))
                .hasMessageContaining("no manifest.json");
    }

    /** Two gzip'd layers (runtime + libs + app; then a replacement, a whiteout and the cache) and a config. */
    static Path image(Path dir) throws IOException {
        byte[] first = layer(out -> {
            folder(out, "opt/");
            folder(out, "opt/java/");
            folder(out, "opt/java/bin/");
            file(out, "opt/java/bin/java", "#!java", 0755);
            folder(out, "app/");
            folder(out, "app/libs/");
            file(out, "app/libs/a.jar", "a", 0644);
            file(out, "app/libs/b.jar", "b", 0644);
            file(out, "app/libs/old.jar", "old", 0644);
            folder(out, "app/classpath/");
            file(out, "app/classpath/resize.jar", "old", 0644);
            file(out, "app/jib-classpath-file", "/app/classpath/resize.jar:/app/libs/a.jar:/app/libs/b.jar\n", 0644);
        });
        byte[] second = layer(out -> {
            file(out, "app/classpath/resize.jar", "new", 0644);
            file(out, "app/libs/.wh.old.jar", "", 0644);
            folder(out, "app/aot/");
            file(out, "app/aot/resize.aot", "cache", 0644);
        });
        Path tar = dir.resolve("image.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            bytes(out, "config.json", CONFIG.getBytes(StandardCharsets.UTF_8));
            bytes(out, "sha256-1.tar.gz", first);
            bytes(out, "sha256-2.tar.gz", second);
            bytes(out, "manifest.json", """
                    [{"Config":"config.json","RepoTags":["kind.local/thumbnails-resize:0.1.0"],
                      "Layers":["sha256-1.tar.gz","sha256-2.tar.gz"]}]""".getBytes(StandardCharsets.UTF_8));
        }
        return tar;
    }

    interface Entries {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static byte[] layer(Entries entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GzipCompressorOutputStream(bytes);
             TarArchiveOutputStream out = new TarArchiveOutputStream(gzip)) {
            entries.write(out);
        }
        return bytes.toByteArray();
    }

    private static void folder(TarArchiveOutputStream out, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        entry.setModTime(Date.from(JIB_TIME));
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream out, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        entry.setSize(data.length);
        entry.setModTime(Date.from(JIB_TIME));
        out.putArchiveEntry(entry);
        out.write(data);
        out.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream out, String name, byte[] data) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        out.putArchiveEntry(entry);
        out.write(data);
        out.closeArchiveEntry();
    }
}
