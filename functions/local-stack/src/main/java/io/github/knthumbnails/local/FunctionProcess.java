package io.github.knthumbnails.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One function of the local stack as a child process ({@code java -jar <function>.jar}), and what kubelet knows of
 * a container: the command and environment to launch it again on the same port, the process of the current run,
 * how often it was restarted, the tail of the run's output, and its HTTP probes.
 *
 * <p>{@link #launch()} is called by one thread at a time (the stack, then its {@link Supervisor}); the getters may
 * be called from any thread.
 */
final class FunctionProcess {

    /** Spring Boot's probe groups (management.endpoint.health.probes.enabled in each function). */
    static final String READINESS = "/actuator/health/readiness";
    static final String LIVENESS = "/actuator/health/liveness";

    private static final int KEPT_LINES = 40;
    private static final long POLL_MILLIS = 100;

    private final String name;
    private final URI url;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Consumer<String> output;
    private final AtomicInteger launches = new AtomicInteger();
    private volatile Run run;

    /** One launch: its process, the thread copying its output, and the last lines of that output. */
    private record Run(Process process, Thread pump, Deque<String> tail, long startedNanos) {
    }

    /**
     * @param name        the function, e.g. {@code resize}; prefixes its output lines as {@code [resize]}
     * @param url         its base URL; the port is in {@code environment} as {@code PORT}
     * @param command     the command line, e.g. {@code java -jar functions/resize/target/resize.jar}
     * @param environment variables set on top of this process's own environment
     * @param output      receives every line the function prints, prefixed with {@code [name]}
     */
    FunctionProcess(String name, URI url, List<String> command, Map<String, String> environment,
                    Consumer<String> output) {
        this.name = name;
        this.url = url;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.output = output;
    }

    String name() {
        return name;
    }

    URI url() {
        return url;
    }

    /**
     * Starts a (new) run with the same command and environment; the previous run must have exited.
     *
     * @return the new process
     * @throws IOException if the process cannot be started (e.g. no {@code java} binary)
     */
    Process launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = new Thread(() -> pump(process, tail), "output-" + name);
        pump.setDaemon(true);
        pump.start();
        run = new Run(process, pump, tail, System.nanoTime());
        launches.incrementAndGet();
        return process;
    }

    /** @return the process of the current (or last) run, or {@code null} before the first {@link #launch()} */
    Process process() {
        Run current = run;
        return current == null ? null : current.process();
    }

    /** @return how many times the function was launched after its first start (kubelet's restartCount) */
    int restarts() {
        return Math.max(0, launches.get() - 1);
    }

    /** @return when the current run was launched, in {@link System#nanoTime()} units */
    long launchedNanos() {
        return run.startedNanos();
    }

    /** @return the last (up to 40) lines the current run printed, one per line */
    String lastLines() {
        return lastLines(KEPT_LINES);
    }

    /** @return the last (up to {@code count}, at most 40) lines the current run printed, one per line */
    String lastLines(int count) {
        Deque<String> tail = run.tail();
        synchronized (tail) {
            return String.join("\n", tail.stream().skip(Math.max(0, tail.size() - count)).toList());
        }
    }

    /** Asks the current run to stop (SIGTERM), so requests in flight may finish. */
    void terminate() {
        run.process().destroy();
    }

    /**
     * Waits for the current run to exit, killing it (SIGKILL) when it has not exited within {@code grace}; then
     * waits (at most 1 s) for its last output lines to be read.
     *
     * @return its exit status; 128 + n for a process ended by signal n (137 is SIGKILL)
     * @throws InterruptedException if interrupted; the process is killed first
     */
    int awaitExit(Duration grace) throws InterruptedException {
        Run current = run;
        try {
            if (!current.process().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                current.process().destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            current.process().destroyForcibly();
            throw e;
        }
        current.pump().join(1000);
        return current.process().exitValue();
    }

    /**
     * Probes the current run until its readiness probe answers 200.
     *
     * @param http    the client to probe with
     * @param timeout how long it may take
     * @return {@code null} when ready; otherwise why not, e.g. {@code exited with status 1 before it was ready}
     * @throws InterruptedException if interrupted
     */
    String awaitReady(HttpClient http, Duration timeout) throws InterruptedException {
        Process process = run.process();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (probe(http, READINESS, Duration.ofSeconds(2)) == null) {
                return null;
            }
            if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                return "exited with status " + status(process.exitValue()) + " before it was ready";
            }
        }
        return "was not ready within " + timeout.toSeconds() + " s";
    }

    /**
     * One HTTP probe, as kubelet's httpGet: a status from 200 to 399 within {@code timeout} passes.
     *
     * @param path {@link #READINESS} or {@link #LIVENESS}
     * @return {@code null} if it passed; otherwise what went wrong, e.g. {@code timed out after 1000 ms}
     * @throws InterruptedException if interrupted
     */
    String probe(HttpClient http, String path, Duration timeout) throws InterruptedException {
        try {
            int status = http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 400 ? null : "HTTP " + status;
        } catch (HttpTimeoutException e) {
            return "timed out after " + timeout.toMillis() + " ms";
        } catch (ConnectException e) {
            return "connection refused";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** @return an exit status as the shell shows it, naming the usual signals: {@code 137 (SIGKILL)} */
    static String status(int exit) {
        String signal = switch (exit) {
            case 128 + 9 -> " (SIGKILL)";
            case 128 + 15 -> " (SIGTERM)";
            case 128 + 2 -> " (SIGINT)";
            case 128 + 6 -> " (SIGABRT)";
            default -> "";
        };
        return exit + signal;
    }

    private void pump(Process process, Deque<String> tail) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (tail) {
                    if (tail.size() == KEPT_LINES) {
                        tail.removeFirst();
                    }
                    tail.addLast(line);
                }
                output.accept("[" + name + "] " + line);
            }
        } catch (IOException e) {
            // the process ended and its output was closed under us: nothing more to read
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
