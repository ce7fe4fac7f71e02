package io.github.knthumbnails.local.broker;

import java.time.Duration;

/**
 * WARNING lines through {@link System.Logger}, at most one per interval; each line says how many were held back
 * since the previous one, so a subscriber that is down for a minute costs a dozen lines, not thousands. Thread-safe.
 */
final class RateLimitedLog {

    private final System.Logger log;
    private final long intervalNanos;
    private long lastNanos;
    private boolean logged;
    private long held;

    /**
     * @param log      where lines go
     * @param interval the least time between two lines
     */
    RateLimitedLog(System.Logger log, Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Logs the message at WARNING unless a line was logged less than the interval ago.
     *
     * @param message the line
     */
    void warn(String message) {
        long suppressed;
        synchronized (this) {
            long now = System.nanoTime();
            if (logged && now - lastNanos < intervalNanos) {
                held++;
                return;
            }
            logged = true;
            lastNanos = now;
            suppressed = held;
            held = 0;
        }
        log.log(System.Logger.Level.WARNING, suppressed == 0 ? message
                : message + " (" + suppressed + " similar line(s) held back)");
    }
}
