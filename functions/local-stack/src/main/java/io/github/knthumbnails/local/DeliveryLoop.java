package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-order delivery of a {@link WebhookNotifier}: the queued events in emission order, and one thread that
 * sends the head with {@link WebhookPost} until it leaves the queue — deleted after a 2xx, moved aside by
 * {@link QueueFiles#moveAside} after a final refusal — waiting the retry interval after each failed attempt, for
 * ever; the head blocks the rest, as in MinIO's store ({@code internal/store/store.go}).
 *
 * <p>Failed attempts are logged through {@link System.Logger} (WARNING), at most one line per
 * {@value #FAILURE_LOG_INTERVAL_SECONDS} s, and recovery once (INFO); each refusal once (WARNING), with the
 * status and the start of the answer. Thread-safe.
 */
final class DeliveryLoop {

    private static final long FAILURE_LOG_INTERVAL_SECONDS = 5;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(WebhookNotifier.class.getName());

    private final QueueFiles files;
    private final WebhookPost post;
    private final URI endpoint;
    private final Duration retryInterval;
    private final AtomicLong refused = new AtomicLong();

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueChanged = queueLock.newCondition();
    private final ArrayDeque<Path> queue = new ArrayDeque<>();
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread sender;

    private long failedAttempts;
    private long failuresSinceLastLog;
    private long lastFailureLogNanos;

    /**
     * Takes over the events {@code files} found on opening; {@link #start()} begins sending them.
     *
     * @param files         the queue directory, owned by the caller
     * @param post          how one event is sent to {@code endpoint}
     * @param endpoint      where events go (for the thread name and the logs)
     * @param retryInterval wait after a failed attempt
     */
    DeliveryLoop(QueueFiles files, WebhookPost post, URI endpoint, Duration retryInterval) {
        this.files = files;
        this.post = post;
        this.endpoint = endpoint;
        this.retryInterval = retryInterval;
        this.queue.addAll(files.found());
        this.sender = new Thread(this::run, "webhook-notifier-" + endpoint.getAuthority());
        this.sender.setDaemon(true);
    }

    /** Starts the sending thread. */
    void start() {
        sender.start();
    }

    /**
     * Writes one event to the queue directory and queues it behind every earlier one.
     *
     * @param body the POST body
     * @throws IOException as {@link QueueFiles#append}; the event is then not queued
     */
    void submit(byte[] body) throws IOException {
        queueLock.lock();
        try {
            // Written under the lock so that file names, visibility and the in-memory queue share one order.
            queue.addLast(files.append(body));
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /** @return the events that have not left the queue (the one being sent included) */
    int pendingCount() {
        queueLock.lock();
        try {
            return queue.size();
        } finally {
            queueLock.unlock();
        }
    }

    /** @return the events moved aside after a final refusal since the start */
    long refusedCount() {
        return refused.get();
    }

    /**
     * @param timeout the longest time to wait
     * @return {@code true} once the queue is empty, {@code false} on timeout
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        queueLock.lock();
        try {
            while (!queue.isEmpty()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = queueChanged.awaitNanos(remaining);
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /** Stops the thread, aborting a POST in flight, and waits up to 5 s for it. The files stay. Idempotent. */
    void stop() {
        closed = true;
        closing.countDown();
        queueLock.lock();
        try {
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
        sender.interrupt();
        try {
            sender.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!closed) {
            Path head = nextQueued();
            if (head == null) {
                return;
            }
            String failure = deliver(head);
            if (failure == null) {
                continue;
            }
            reportFailure(failure);
            try {
                if (closing.await(retryInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Blocks until the queue has a head or the loop stops ({@code null}). */
    private Path nextQueued() {
        queueLock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                queueChanged.await();
            }
            return closed ? null : queue.peekFirst();
        } catch (InterruptedException e) {
            return null;
        } finally {
            queueLock.unlock();
        }
    }

    /** Sends one queued file; {@code null} when it left the queue (delivered or refused), else why it failed. */
    private String deliver(Path file) {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            LOG.log(System.Logger.Level.WARNING, "Queued event " + file + " disappeared before delivery; skipping");
            dequeue(file);
            return null;
        } catch (IOException e) {
            return "cannot read " + file + ": " + e;
        }
        WebhookPost.Outcome outcome = post.send(body);
        if (outcome.verdict() == WebhookPost.Verdict.RETRY) {
            return outcome.detail();
        }
        if (outcome.verdict() == WebhookPost.Verdict.REFUSED) {
            return refuse(file, outcome.status(), outcome.detail());
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Delivered " + file + " but could not delete it; it will be sent"
                    + " again after a restart", e);
        }
        dequeue(file);
        if (failedAttempts > 0) {
            LOG.log(System.Logger.Level.INFO, "Webhook delivery to " + endpoint + " recovered after "
                    + failedAttempts + " failed attempt(s)");
            failedAttempts = 0;
            failuresSinceLastLog = 0;
        }
        return null;
    }

    /** Moves a refused event aside; {@code null} when done, else why it could not be moved (it is retried). */
    private String refuse(Path file, int status, String answer) {
        Path moved;
        try {
            moved = files.moveAside(file);
        } catch (IOException e) {
            return "HTTP " + status + " (refused) and the event could not be moved aside: " + e;
        }
        dequeue(file);
        long count = refused.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "Webhook endpoint " + endpoint + " refused a queued event with"
                + " HTTP " + status + (status == 401 || status == 403 ? " (check the auth token)" : "")
                + ": \"" + answer.strip() + "\"; moved it to " + moved + ", it will not be retried (" + count
                + " refused since start; move the file back into " + files.dir() + " to replay it)");
        return null;
    }

    private void dequeue(Path file) {
        queueLock.lock();
        try {
            queue.remove(file);
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    private void reportFailure(String failure) {
        if (closed) {
            return;
        }
        failedAttempts++;
        failuresSinceLastLog++;
        long now = System.nanoTime();
        if (failedAttempts == 1
                || now - lastFailureLogNanos >= TimeUnit.SECONDS.toNanos(FAILURE_LOG_INTERVAL_SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "Webhook delivery to " + endpoint + " failed: " + failure
                    + "; " + pendingCount() + " event(s) queued in " + files.dir() + ", retrying every "
                    + retryInterval.toMillis() + " ms (" + failuresSinceLastLog
                    + " failed attempt(s) since the last report)");
            lastFailureLogNanos = now;
            failuresSinceLastLog = 0;
        }
    }
}
