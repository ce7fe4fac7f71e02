package io.github.knthumbnails.local.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The stored events on their way (delivery, retries, dead letter), by file, and a wait for none to be left. */
final class Pending {

    private final Set<Path> files = new HashSet<>();

    /** @param file an event that started on its way */
    synchronized void add(Path file) {
        files.add(file);
    }

    /** @param file an event that left the queue (delivered, dead-lettered or moved aside) */
    synchronized void remove(Path file) {
        files.remove(file);
        notifyAll();
    }

    /** @return how many are on their way */
    synchronized int count() {
        return files.size();
    }

    /**
     * @param timeout the longest wait
     * @return {@code true} once none is left, {@code false} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!files.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
