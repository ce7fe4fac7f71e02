package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the local stack's functions running as kubelet keeps a pod's containers ({@code restartPolicy: Always}):
 * a function whose process exits, or fails its liveness probe {@link Settings#failureThreshold()} times in a row
 * (a probe that times out fails, so a hung or stopped process is caught too), is stopped (SIGTERM, SIGKILL after
 * {@link Settings#grace()}) and launched again with the same command, environment and port, after a delay that
 * grows like kubelet's CrashLoopBackOff ({@link Settings#backoff(int)}). Each step is logged through
 * {@link System.Logger}: the failure with the exit status, the restart number and the delay, the run's last output
 * lines when it crashes again, and the moment it is ready again.
 *
 * <p>Liveness is probed once the function is ready (kubelet instead waits {@code initialDelaySeconds: 20}), from
 * {@link FunctionProcess#LIVENESS}. A function that never comes up again is retried for as long as the stack
 * runs, at the capped delay; it never stops the stack. One daemon thread per function, {@code supervise-<name>};
 * {@link #close()} ends them all and no process is launched after it returns.
 */
final class Supervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Supervisor.class.getName());
    /** Output lines of a failed run shown when it fails again within the back-off window. */
    private static final int LAST_LINES = 15;

    /**
     * Probe and restart timing.
     *
     * @param probePeriod      time between liveness probes (knative/*.yaml: {@code periodSeconds: 10})
     * @param probeTimeout     how long one probe may take (kubelet's {@code timeoutSeconds} default: 1 s)
     * @param failureThreshold failed probes in a row that restart the function ({@code failureThreshold: 3})
     * @param initialBackoff   delay before the first restart of a series
     * @param maxBackoff       the delay doubles per restart up to this
     * @param resetAfter       a run that lasted this long starts the series again at {@code initialBackoff}
     * @param grace            how long a failed function may take to stop after SIGTERM before SIGKILL
     * @param readyTimeout     how long a (re)started function may take to become ready
     */
    record Settings(Duration probePeriod, Duration probeTimeout, int failureThreshold, Duration initialBackoff,
                    Duration maxBackoff, Duration resetAfter, Duration grace, Duration readyTimeout) {

        /**
         * The cluster's probes (period 10 s, timeout 1 s, threshold 3, so a hung pod goes after 30-40 s) scaled
         * for a laptop, where nobody waits half a minute: probe every 2 s, so a hung function is killed after
         * 6-8 s. Backoff: kubelet's 10 s doubling to 5 min, reset after 10 min up, would leave the pipeline
         * stuck for 10 s after every crash and 5 min after a fixed crash loop; here the first restart comes
         * after 0.5 s, then 1, 2, 4, 8, 16, 30, 30 ... s, reset after 60 s up (kubelet's 2 x the cap).
         */
        static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(1), 3,
                Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofSeconds(120));

        /** Checks the values. */
        Settings {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1, got " + failureThreshold);
            }
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                throw new IllegalArgumentException("initialBackoff " + initialBackoff + " exceeds maxBackoff "
                        + maxBackoff);
            }
        }

        /**
         * @param step restarts since the series began, from 0
         * @return the delay before that restart: {@code initialBackoff * 2^step}, at most {@code maxBackoff}
         */
        Duration backoff(int step) {
            Duration delay = initialBackoff;
            for (int i = 0; i < step && delay.compareTo(maxBackoff) < 0; i++) {
                delay = delay.multipliedBy(2);
            }
            return delay.compareTo(maxBackoff) < 0 ? delay : maxBackoff;
        }
    }

    private final Settings settings;
    private final HttpClient http;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> backingOff = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private boolean closed;

    private Supervisor(Settings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * Starts supervising functions that are running and ready.
     *
     * @param functions the functions, each launched and ready
     * @param settings  probe and restart timing
     * @param http      the client to probe with
     * @return the supervisor; {@link #close()} it before stopping the functions
     */
    static Supervisor start(Collection<FunctionProcess> functions, Settings settings, HttpClient http) {
        Supervisor supervisor = new Supervisor(settings, http);
        LOG.log(System.Logger.Level.INFO, "Supervising " + functions + ": liveness probe every "
                + settings.probePeriod().toMillis() + " ms (timeout " + settings.probeTimeout().toMillis()
                + " ms, restart after " + settings.failureThreshold() + " failures in a row); restart delay "
                + settings.initialBackoff().toMillis() + " ms doubling to " + settings.maxBackoff().toSeconds()
                + " s, reset after " + settings.resetAfter().toSeconds() + " s up");
        for (FunctionProcess function : functions) {
            Thread thread = new Thread(() -> supervisor.supervise(function), "supervise-" + function.name());
            thread.setDaemon(true);
            supervisor.threads.add(thread);
            thread.start();
        }
        return supervisor;
    }

    private void supervise(FunctionProcess function) {
        int step = 0;
        long launched = function.launchedNanos();
        try {
            String failure = watch(function);
            while (true) {
                boolean alive = function.process().isAlive();
                if (alive) {
                    LOG.log(System.Logger.Level.WARNING, function + " " + failure + "; stopping it (SIGTERM, "
                            + "SIGKILL after " + settings.grace().toMillis() + " ms)");
                    function.terminate();
                }
                int exit = function.awaitExit(settings.grace());
                if (isClosed()) {
                    return;
                }
                long ranMillis = (System.nanoTime() - launched) / 1_000_000;
                if (ranMillis >= settings.resetAfter().toMillis()) {
                    step = 0;
                }
                Duration delay = settings.backoff(step);
                int restart = function.restarts() + 1;
                String what = alive ? "stopped with status " + FunctionProcess.status(exit) : failure;
                LOG.log(System.Logger.Level.WARNING, String.format(Locale.ROOT,
                        "%s %s, %.1f s after its launch; restart #%d in %d ms", function, what, ranMillis / 1000.0,
                        restart, delay.toMillis()) + (step == 0 ? "" : " (back-off: it failed within "
                        + settings.resetAfter().toSeconds() + " s again); its last output:\n"
                        + indent(function.lastLines(LAST_LINES))));
                step++;
                backingOff.add(function.name());
                try {
                    Thread.sleep(delay.toMillis());
                } finally {
                    backingOff.remove(function.name());
                }
                launched = System.nanoTime();
                failure = relaunch(function, restart);
            }
        } catch (InterruptedException e) {
            // close(): stop supervising
        }
    }

    /** Launches the function again, waits until it is ready, then watches it; returns why that run ended. */
    private String relaunch(FunctionProcess function, int restart) throws InterruptedException {
        long t0 = System.nanoTime();
        synchronized (lock) {
            if (closed) {
                throw new InterruptedException("closed");
            }
            try {
                function.launch();
            } catch (IOException e) {
                return "could not be started (" + e.getMessage() + ")";
            }
        }
        String notReady = function.awaitReady(http, settings.readyTimeout());
        if (notReady != null) {
            return notReady;
        }
        LOG.log(System.Logger.Level.INFO, function + " is ready again (restart #" + restart + ", pid "
                + function.process().pid() + ") " + (System.nanoTime() - t0) / 1_000_000 + " ms after its launch");
        return watch(function);
    }

    /**
     * Probes a ready function every {@link Settings#probePeriod()} until its process exits or fails
     * {@link Settings#failureThreshold()} probes in a row.
     *
     * @return why it is no longer live, e.g. {@code exited with status 137 (SIGKILL)}
     */
    private String watch(FunctionProcess function) throws InterruptedException {
        Process process = function.process();
        int failures = 0;
        long next = System.nanoTime() + settings.probePeriod().toNanos();
        while (true) {
            long wait = Math.max(0, next - System.nanoTime());
            if (process.waitFor(wait, TimeUnit.NANOSECONDS)) {
                return "exited with status " + FunctionProcess.status(process.exitValue());
            }
            next += settings.probePeriod().toNanos();
            String problem = function.probe(http, FunctionProcess.LIVENESS, settings.probeTimeout());
            if (problem == null) {
                failures = 0;
                continue;
            }
            failures++;
            if (!process.isAlive() || isClosed()) {
                continue; // the exit is the news, or nobody is listening any more
            }
            LOG.log(System.Logger.Level.WARNING, function + " liveness probe failed (" + failures + " of "
                    + settings.failureThreshold() + "): " + problem);
            if (failures >= settings.failureThreshold()) {
                return "failed " + failures + " liveness probes in a row (last: " + problem + ")";
            }
        }
    }

    /** @return whether the function is waiting out its restart delay */
    boolean backingOff(String function) {
        return backingOff.contains(function);
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private static String indent(String lines) {
        return lines.isEmpty() ? "  (no output)" : "  " + lines.replace("\n", "\n  ");
    }

    /**
     * Stops supervising: no function is launched after this returns, and the supervising threads have ended. The
     * functions keep running (a function being stopped for a failed probe is killed). Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, thread.getName() + " did not stop within 10 s");
            }
        }
    }
}
