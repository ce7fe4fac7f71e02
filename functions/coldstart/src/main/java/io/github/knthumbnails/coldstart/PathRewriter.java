package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves the absolute paths of an image's command line and environment under the folder the image was extracted
 * to, so the command runs on this machine as it would in the container.
 *
 * <p>Rewritten: a plain argument starting with {@code /} (each {@code :}-separated entry, so a classpath moves
 * whole); the value of {@code -XX:Name=/path}, {@code -Dname=/path}, {@code -javaagent:/path},
 * {@code -agentpath:/path} and {@code -Xbootclasspath/a:/path}; an {@code @/argfile} argument, which is read
 * from inside the root and replaced by the arguments it holds, each rewritten the same way (the JDK's
 * {@code @argfiles}: arguments separated by white space, JDK 9+ {@code java} launcher). Anything else is kept.
 */
final class PathRewriter {

    private static final Pattern VALUED = Pattern.compile("(-XX:[^=]+=|-D[^=]+=|-javaagent:|-agentpath:"
            + "|-Xbootclasspath/a:)(/.*)");
    /** Environment variables whose values are JVM options. */
    private static final Set<String> JVM_OPTION_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS");

    private final Path root;

    /** @param root the absolute extraction folder */
    PathRewriter(Path root) {
        this.root = root;
    }

    /**
     * @param args a command as the image declares it
     * @return the command with paths moved and argfiles inlined
     * @throws UncheckedIOException if an argfile cannot be read from the root
     */
    List<String> command(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (i > 0 && arg.startsWith("@/")) {
                argfile(arg.substring(1)).forEach(a -> out.add(argument(a)));
            } else {
                out.add(argument(arg));
            }
        }
        return out;
    }

    /**
     * @param arg one argument
     * @return it with its path(s) moved under the root
     */
    String argument(String arg) {
        if (arg.startsWith("/")) {
            return pathList(arg);
        }
        Matcher valued = VALUED.matcher(arg);
        if (valued.matches()) {
            return valued.group(1) + pathList(valued.group(2));
        }
        return arg;
    }

    /**
     * @param name  an environment variable's name
     * @param value its value in the image
     * @return the value to run with here: JVM options rewritten per argument, an absolute path (list) moved
     */
    String envValue(String name, String value) {
        if (JVM_OPTION_VARIABLES.contains(name)) {
            List<String> words = new ArrayList<>();
            for (String word : value.strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(argument(word));
                }
            }
            return String.join(" ", words);
        }
        return value.startsWith("/") ? pathList(value) : value;
    }

    /** Each absolute entry of a {@code :}-separated list moved under the root; relative entries kept. */
    private String pathList(String value) {
        String[] entries = value.split(":", -1);
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].startsWith("/")) {
                entries[i] = root.resolve(entries[i].replaceFirst("^/+", "")).toString();
            }
        }
        return String.join(":", entries);
    }

    private List<String> argfile(String imagePath) {
        Path file = root.resolve(imagePath.replaceFirst("^/+", ""));
        try {
            List<String> words = new ArrayList<>();
            for (String word : Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException("the command names the argfile @" + imagePath + ", which is not in the"
                    + " image (looked at " + file + ")", e);
        }
    }
}
