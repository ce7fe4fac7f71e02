package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How big an image is: its tarball, and its extracted files by part of the layout.
 *
 * @param tarBytes       bytes of the image tarball (compressed layers)
 * @param extractedBytes bytes of every regular file once extracted
 * @param parts          extracted bytes by part, in {@link #PARTS} order, then {@code other}
 */
public record ImageSizes(long tarBytes, long extractedBytes, Map<String, Long> parts) {

    /** The parts of the layout reported on their own: runtime, dependencies, application, AOT cache. */
    public static final List<String> PARTS = List.of("/opt/java", "/app/libs", "/app/classpath", "/app/aot");

    /**
     * @param root     an extracted image
     * @param tarBytes the size of its tarball
     * @return the sizes
     * @throws UncheckedIOException if the folder cannot be walked
     */
    static ImageSizes measure(Path root, long tarBytes) {
        Map<String, Long> parts = new LinkedHashMap<>();
        PARTS.forEach(p -> parts.put(p, 0L));
        parts.put("other", 0L);
        long total = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long size = Files.size(file);
                total += size;
                String imagePath = "/" + root.relativize(file).toString().replace('\\', '/');
                String part = PARTS.stream().filter(p -> imagePath.startsWith(p + "/")).findFirst().orElse("other");
                parts.merge(part, size, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ImageSizes(tarBytes, total, Map.copyOf(parts));
    }

    /** @return e.g. {@code tar 98.2 MB, extracted 190.1 MB: /opt/java 126.0 MB, /app/libs 60.3 MB, ...} */
    public String describe() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "tar %s, extracted %s:", mb(tarBytes),
                mb(extractedBytes)));
        Stream.concat(PARTS.stream(), Stream.of("other"))
                .forEach(p -> out.append(' ').append(p).append(' ').append(mb(parts.getOrDefault(p, 0L))).append(','));
        out.setLength(out.length() - 1);
        return out.toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
