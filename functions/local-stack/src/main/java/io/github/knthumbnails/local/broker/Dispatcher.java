package io.github.knthumbnails.local.broker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.cloudevents.CloudEvent;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * Delivers stored events to the Trigger's subscriber, as Knative's dispatcher does
 * (knative/eventing {@code pkg/kncloudevents/event_dispatcher.go} {@code send}): up to {@code retry + 1}
 * attempts while the answer is retryable ({@link DeliverySpec#retryable}), waiting
 * {@link DeliverySpec#backoff} between them; then, unless the subscriber answered 2xx, the event goes to the
 * dead-letter sink with Knative's error extensions ({@link DeadLetter}), with the same retries. No ordering.
 *
 * <p>Concurrency: every attempt (to the subscriber or the dead-letter sink) runs on one of {@code concurrency}
 * threads, so at most that many requests are in flight, as {@code pods × containerConcurrency} would take. The
 * waits between retries are scheduled by resilience4j's {@link Retry#executeCompletionStage} on a scheduler and
 * hold no thread.
 *
 * <p>Nothing is lost: an event's file is deleted only after a 2xx from the subscriber or the dead-letter sink.
 * When the sink too fails retryably, the event stays on disk and the dead letter is tried again every
 * {@code deadLetterRetryInterval}; when the sink refuses it (any other status) or there is no sink, the file is
 * moved to {@code refused/}. Logs: one WARNING line per dead letter (id, code, dest); failed attempts at
 * most one line per 5 s. Thread-safe.
 */
final class Dispatcher {

    private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());

    private final TriggerSpec trigger;
    private final EventFiles files;
    private final ExecutorService httpThreads = Executors.newCachedThreadPool(daemons("broker-http-"));
    private final Sender sender = new Sender(httpThreads);
    private final Duration deadLetterRetryInterval;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService scheduler;
    private final Retry retry;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Duration.ofSeconds(5));
    private final Pending pending = new Pending();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean closed;

    /** One event on its way: its file, the event, the trace headers it came with, and the attempts so far. */
    private record Delivery(Path file, CloudEvent event, TraceHeaders trace, AtomicInteger attempts) {
    }

    /**
     * @param trigger                 where to deliver and how to retry
     * @param files                   the stored events, owned by the caller
     * @param concurrency             the most requests in flight, {@code >= 1}
     * @param deadLetterRetryInterval the wait before a dead letter the sink could not take is sent again
     */
    Dispatcher(TriggerSpec trigger, EventFiles files, int concurrency, Duration deadLetterRetryInterval) {
        this.trigger = trigger;
        this.files = files;
        this.deadLetterRetryInterval = deadLetterRetryInterval;
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemons("broker-dispatch-"));
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemons("broker-retry-"));
        DeliverySpec delivery = trigger.delivery();
        this.retry = Retry.of("trigger-" + trigger.name(), RetryConfig.<Sender.Outcome>custom()
                .maxAttempts(delivery.retry() + 1)
                .intervalFunction(retryNumber -> delivery.backoff(retryNumber).toMillis())
                .retryOnResult(Sender.Outcome::retryable)
                .retryOnException(e -> false)
                .build());
    }

    /**
     * Starts delivering a stored event; returns at once.
     *
     * @param file  its file
     * @param event the event
     * @param trace the trace headers it came with, sent on with it (to the dead-letter sink too)
     */
    void submit(Path file, CloudEvent event, TraceHeaders trace) {
        pending.add(file);
        Delivery d = new Delivery(file, event, trace, new AtomicInteger());
        retry.executeCompletionStage(scheduler, () -> attempt(trigger.subscriber(), d))
                .whenComplete((last, error) -> {
                    if (error == null && last.ok()) {
                        finish(d, delivered);
                    } else if (error == null) {
                        deadLetter(d, last);
                    } // else: stopping; the file stays for the next start
                });
    }

    private void deadLetter(Delivery d, Sender.Outcome last) {
        URI sink = trigger.delivery().deadLetterSink();
        if (sink == null) {
            refuse(d, "there is no deadLetterSink; the last attempt got " + last.describe());
            return;
        }
        CloudEvent letter = DeadLetter.of(d.event(), trigger.subscriber(), last);
        Delivery toSink = new Delivery(d.file(), letter, d.trace(), new AtomicInteger());
        retry.executeCompletionStage(scheduler, () -> attempt(sink, toSink))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        return; // stopping
                    }
                    if (answer.ok()) {
                        LOG.log(System.Logger.Level.WARNING, "Dead-lettered event " + d.event().getId() + " ("
                                + d.event().getSubject() + ") to " + sink + " after " + d.attempts().get()
                                + " attempt(s): " + DeadLetter.CODE + "=" + letter.getExtension(DeadLetter.CODE)
                                + " " + DeadLetter.DEST + "=" + trigger.subscriber() + " (" + last.describe() + ")");
                        finish(d, deadLettered);
                    } else if (answer.retryable()) {
                        failures.warn("Dead-letter sink " + sink + " did not take event " + d.event().getId() + ": "
                                + answer.describe() + "; it stays in " + files.dir() + ", trying again in "
                                + deadLetterRetryInterval.toMillis() + " ms");
                        schedule(() -> deadLetter(d, last), deadLetterRetryInterval);
                    } else {
                        refuse(d, "the dead-letter sink " + sink + " refused it with " + answer.describe());
                    }
                });
    }

    /** One attempt on a worker thread; a failed one is logged (rate-limited). */
    private CompletionStage<Sender.Outcome> attempt(URI target, Delivery d) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                int n = d.attempts().incrementAndGet();
                Sender.Outcome outcome = sender.send(target, d.event(), d.trace(), trigger.delivery().timeout());
                if (!outcome.ok() && !closed) {
                    failures.warn("Delivery of event " + d.event().getId() + " to " + target + " failed (attempt "
                            + n + "): " + outcome.describe() + (outcome.retryable() ? "" : "; not retried"));
                }
                return outcome;
            }, workers);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e); // stopping
        }
    }

    private void finish(Delivery d, AtomicLong counter) {
        try {
            files.delete(d.file());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Delivered " + d.file() + " but could not delete it; it will be"
                    + " delivered again after a restart", e);
        }
        counter.incrementAndGet();
        pending.remove(d.file());
    }

    private void refuse(Delivery d, String why) {
        try {
            Path moved = files.refuse(d.file());
            LOG.log(System.Logger.Level.WARNING, "Event " + d.event().getId() + " (" + d.event().getSubject()
                    + ") cannot be delivered: " + why + "; moved it to " + moved + " (move it back into "
                    + files.dir() + " to replay it)");
        } catch (IOException e) {
            failures.warn("Event " + d.event().getId() + " cannot be delivered (" + why + ") nor moved aside: " + e
                    + "; it stays in " + files.dir());
            return; // delivered again at the next start
        }
        refused.incrementAndGet();
        pending.remove(d.file());
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping: the file stays for the next start
        }
    }

    /** @return events stored and not yet delivered, dead-lettered or moved aside */
    int pendingCount() {
        return pending.count();
    }

    /**
     * @param timeout the longest wait
     * @return {@code true} once nothing is pending, {@code false} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitDrained(Duration timeout) throws InterruptedException {
        return pending.awaitNone(timeout);
    }

    /** @return events the subscriber answered with a 2xx */
    long delivered() {
        return delivered.get();
    }

    /** @return events the dead-letter sink answered with a 2xx */
    long deadLettered() {
        return deadLettered.get();
    }

    /** @return events moved to {@code refused/} */
    long refused() {
        return refused.get();
    }

    /** Stops the threads, abandoning attempts in flight; their files stay. Waits up to 5 s. */
    void stop() {
        closed = true;
        scheduler.shutdownNow();
        workers.shutdownNow();
        httpThreads.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
