package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One run of a function: its command and environment, the forked process, the wait for its first answer, its
 * memory, its graceful stop. The environment is exactly the image's {@code Env} plus the workload's variables
 * (as a container gets it), nothing inherited from this process.
 */
final class FunctionProcess {

    private static final long RETRY_MILLIS = 3;
    /** Functions still running: killed if this JVM exits first (Ctrl-C, an uncaught error). */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    private final List<String> command;
    private final Map<String, String> env;
    private final Path workingDir;
    private final Path log;
    private Process process;
    private long startNanos;

    /**
     * @param command    the command line
     * @param env        the whole environment
     * @param workingDir where it runs
     * @param log        where its stdout and stderr go
     */
    FunctionProcess(List<String> command, Map<String, String> env, Path workingDir, Path log) {
        this.command = List.copyOf(command);
        this.env = new LinkedHashMap<>(env);
        this.workingDir = workingDir;
        this.log = log;
    }

    /**
     * @param image    the extracted image
     * @param command  its command, possibly changed (e.g. {@code -XX:AOTCacheOutput})
     * @param workload the variables the function needs here
     * @param port     its port
     * @param log      where its output goes
     * @return the run, not started
     */
    static FunctionProcess fromImage(ImageRoot image, List<String> command, Workload workload, int port, Path log) {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        // libjpeg-turbo, when the image carries it at Debian's paths (functions/resize/pom.xml, turbojpeg-root).
        Path jar = image.host("/usr/share/java/turbojpeg.jar");
        Path library = image.host("/usr/lib/x86_64-linux-gnu/libturbojpeg.so.0");
        if (Files.exists(jar) && Files.exists(library)) {
            env.put("TURBOJPEG_JAR", jar.toString());
            env.put("TURBOJPEG_LIBRARY", library.toString());
        }
        env.putAll(workload.env(port));
        Path dir = image.workingDirectory();
        return new FunctionProcess(command, env, Files.isDirectory(dir) ? dir : image.root(), log);
    }

    /** @return a shell line that reruns it: {@code cd <dir> && env -i VAR=value ... command} */
    String shellLine() {
        List<String> words = new ArrayList<>(List.of("cd", quote(workingDir.toString()), "&&", "env", "-i"));
        env.forEach((k, v) -> words.add(quote(k + "=" + v)));
        command.forEach(c -> words.add(quote(c)));
        return String.join(" ", words);
    }

    /**
     * Forks the function.
     *
     * @return {@link System#nanoTime()} taken just before the fork
     * @throws IOException if it cannot be started
     */
    long start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        startNanos = System.nanoTime();
        process = builder.start();
        RUNNING.add(process);
        process.onExit().thenAccept(RUNNING::remove);
        return startNanos;
    }

    /**
     * Sends the first request until the function answers it (a refused connection means it is not listening
     * yet; tried again every {@value #RETRY_MILLIS} ms), then checks the answer.
     *
     * @param fixture where requests go through
     * @param first   the request
     * @param timeout how long to wait
     * @return nanoseconds from just before the fork to the answer
     * @throws WorkloadException    if the process exits, the timeout passes, or the answer is wrong
     * @throws IOException          for another I/O failure than a refused connection
     * @throws InterruptedException if interrupted
     */
    long awaitFirst(Fixture fixture, Workload.FirstRequest first, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = startNanos + timeout.toNanos();
        while (true) {
            try {
                HttpResponse<String> response = fixture.send(first.request());
                long elapsed = System.nanoTime() - startNanos;
                first.verify(response);
                return elapsed;
            } catch (ConnectException e) {
                if (!process.isAlive()) {
                    throw new WorkloadException("the function exited with status " + process.exitValue()
                            + " before answering");
                }
                if (System.nanoTime() > deadline) {
                    throw new WorkloadException("the function did not answer within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(RETRY_MILLIS);
            }
        }
    }

    /** @return the process's resident set ({@code VmRSS} of {@code /proc/<pid>/status}) in kB, -1 if unknown */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * @return the user + system CPU time the process has used ({@code utime} and {@code stime} of
     *         {@code /proc/<pid>/stat}, in clock ticks of 10 ms, the Linux {@code USER_HZ}), in ms; -1 if unknown
     */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // After the command name, which is in parentheses and may itself hold spaces: field 3 onwards.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Sends SIGTERM ({@link Process#destroy()}) and waits; SIGKILL when it does not exit in time.
     *
     * @param timeout how long it may take
     * @return its exit status
     * @throws WorkloadException    if it had to be killed
     * @throws InterruptedException if interrupted
     */
    int stop(Duration timeout) throws InterruptedException {
        if (process == null) {
            return -1;
        }
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new WorkloadException("the function did not exit within " + timeout.toSeconds() + " s of SIGTERM;"
                    + " killed");
        }
        return process.exitValue();
    }

    /** Kills it if it still runs (on the way out after a failure). */
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * @param lines how many
     * @return the last lines of its output, or a note that there is none
     */
    String logTail(int lines) {
        try {
            List<String> all = List.of(Files.readString(log, StandardCharsets.ISO_8859_1).split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output at " + log + ")";
        }
    }

    /** @return its output file */
    Path log() {
        return log;
    }

    static String quote(String word) {
        return word.matches("[A-Za-z0-9_./:=@,+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
