package io.github.knthumbnails.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a command-line tool the validation needs ({@code kubectl}, {@code shellcheck}, {@code promtool}) and decides
 * what its absence means: on a user's machine the test is <em>skipped</em> with a message saying what to install;
 * when the environment variable {@value #REQUIRE} is {@code true} (CI sets it in {@code .ci/run}) it <em>fails</em>,
 * so CI can never pass by silently skipping.
 */
final class ExternalTool {

    /** Set to {@code true} to turn "tool missing" skips into failures. */
    static final String REQUIRE = "THUMBNAILS_REQUIRE_TOOLS";

    private ExternalTool() {
    }

    /**
     * @param name    executable name looked up on {@code PATH}
     * @param install how to install it, for the message
     * @throws org.opentest4j.TestAbortedException when missing and not required
     */
    static void require(String name, String install) {
        boolean found = System.getenv().getOrDefault("PATH", "").isEmpty() ? false
                : java.util.Arrays.stream(System.getenv("PATH").split(java.io.File.pathSeparator))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
        String message = "'" + name + "' is not on PATH (" + install + ")";
        if (!found && "true".equalsIgnoreCase(System.getenv(REQUIRE))) {
            Assertions.fail(message + "; " + REQUIRE + "=true requires it");
        }
        Assumptions.assumeTrue(found, message + ". Skipping.");
    }

    /**
     * Finds a tool that may live off {@code PATH}: the system property or environment variable named
     * {@code override} (the same name for both, e.g. {@code PROMTOOL}) wins when set; otherwise {@code name} on
     * {@code PATH}. Skips or fails like {@link #require} when neither yields an executable.
     *
     * @param name     executable name looked up on {@code PATH}
     * @param override system property / environment variable holding the executable's path
     * @param install  how to install it, for the message
     * @return the command to run: the override's path, or {@code name}
     */
    static String locate(String name, String override, String install) {
        String path = System.getProperty(override, System.getenv(override));
        if (path == null || path.isBlank()) {
            require(name, install + "; or set " + override + " to its path");
            return name;
        }
        String message = override + "=" + path + " is not an executable file";
        boolean found = Files.isExecutable(Path.of(path));
        if (!found && "true".equalsIgnoreCase(System.getenv(REQUIRE))) {
            Assertions.fail(message + "; " + REQUIRE + "=true requires it");
        }
        Assumptions.assumeTrue(found, message + ". Skipping.");
        return path;
    }

    /**
     * The outcome of one run.
     *
     * @param exitCode the process exit code
     * @param output   standard output and standard error, interleaved
     */
    record Result(int exitCode, String output) {
    }

    /**
     * Runs a command to completion (at most two minutes).
     *
     * @param directory working directory
     * @param env       extra environment variables, {@code NAME=value}
     * @param command   the command and its arguments
     * @return exit code and output
     * @throws IOException if it cannot be started or does not finish in time
     */
    static Result run(Path directory, List<String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        for (String entry : env) {
            int eq = entry.indexOf('=');
            builder.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        Process process = builder.start();
        List<byte[]> chunks = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                chunks.add(process.getInputStream().readAllBytes());
            } catch (IOException e) {
                chunks.add(("<output unreadable: " + e + ">").getBytes(StandardCharsets.UTF_8));
            }
        });
        reader.start();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 2 minutes");
            }
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(process.exitValue(), chunks.isEmpty() ? "" : new String(chunks.get(0), StandardCharsets.UTF_8));
    }
}
