package io.github.knthumbnails.resize;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.knthumbnails.image.ImageRejectedException;
import io.github.knthumbnails.image.Rendition;
import io.github.knthumbnails.resize.ResizeService.Outcome;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.telemetry.Telemetry;
import io.opentelemetry.context.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the current version of one source key to a final job record.
 *
 * <p>Rules, each with its source:
 * <ul>
 *   <li>A version whose record is final and made by the current {@code RENDITIONS} ({@link JobRecord#settles}) is
 *       left as it is: a redelivery changes nothing, while a redelivery or backfill after a {@code RENDITIONS}
 *       change renders the version again (issue 13). Any other record — {@code processing} of another worker, fresh or stale, or a {@code failed}
 *       that the engine did not decide, such as a (possibly forged) {@code delivery_failed} — is processed again;
 *       renditions are a pure function of the bytes, so a second worker rewrites identical objects (issue 8,
 *       finding 1).</li>
 *   <li>The event is a hint, not a fact: nothing is written for an ETag storage has not confirmed with an
 *       {@code If-Match} GET, and the size limit applies to the bytes read, never to the event's {@code size}
 *       (finding 6).</li>
 *   <li>{@code processing} is written while the engine renders, and is always stored before the final record (a
 *       late {@code processing} would replace it). After every outcome (also "superseded") the source is HEADed
 *       and the current version followed until it has a final record. That HEAD comes after every write of the
 *       pass, so it sees any overwrite that happened before one of them: an overwrite while a worker read the old
 *       version cannot leave the newer one without a final record, even if that worker's {@code processing} or
 *       outcome replaced the newer version's record, and a crash before the HEAD is repaired by the redelivery
 *       (finding 5). Nothing else re-checks the source: one job is six S3 requests with one rendition
 *       (issue 9).</li>
 *   <li>{@link OutOfMemoryError} and other errors pass through untouched: the function answers 5xx and the
 *       {@code processing} record, not final, is redone on redelivery (finding 7).</li>
 * </ul>
 */
final class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /** How many versions to follow when the source keeps being overwritten while we work. */
    private static final int MAX_PASSES = 3;
    /** Writes {@code processing} records while the engine renders on the request thread; threads idle out. */
    private static final ExecutorService RECORD_WRITER = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "resize-record-writer");
        thread.setDaemon(true);
        return thread;
    });

    private final ResizeSettings settings;
    private final ObjectStore store;
    private final JobStore jobs;
    private final Renderer renderer;
    /** {@link ResizeSettings#profile}, once: compared with every record read and stored with every rendition. */
    private final Map<String, String> profile;

    JobRunner(ResizeSettings settings, ObjectStore store, JobStore jobs, Renderer renderer) {
        this.settings = settings;
        this.store = store;
        this.jobs = jobs;
        this.renderer = renderer;
        this.profile = settings.profile();
    }

    /**
     * @param bucket        source bucket
     * @param key           source key
     * @param announcedETag the ETag the event names, {@code null} if none: only a hint
     * @return the outcome for the last version looked at
     * @throws io.github.knthumbnails.storage.StorageException if storage failed; retrying may help
     */
    Outcome run(String bucket, String key, String announcedETag) {
        String eTag = announcedETag != null ? announcedETag : currentETag(bucket, key).orElse(null);
        Outcome outcome = Outcome.SUPERSEDED;
        for (int pass = 0; pass < MAX_PASSES && eTag != null; pass++) {
            outcome = process(bucket, key, eTag);
            Optional<String> current = currentETag(bucket, key);
            if (current.isEmpty() || current.get().equals(eTag) && outcome != Outcome.SUPERSEDED) {
                return outcome;
            }
            eTag = current.get();
        }
        return outcome;
    }

    private Optional<String> currentETag(String bucket, String key) {
        return store.stat(bucket, key).map(ObjectInfo::eTag);
    }

    private Outcome process(String bucket, String key, String eTag) {
        Instant started = Instant.now();
        JobTrace trace = JobTrace.current();
        trace.restart();
        Optional<JobRecord> done = jobs.read(bucket, key).filter(r -> r.settles(eTag, profile));
        if (done.isPresent()) {
            log.info("already {} {}/{} etag={}: nothing to do", done.get().state().wireName(), bucket, key, eTag);
            return done.get().state() == JobState.SUCCEEDED ? Outcome.SUCCEEDED : Outcome.FAILED;
        }
        Optional<byte[]> source;
        try {
            source = trace.timed("fetch", () -> store.getIfMatch(bucket, key, eTag,
                    settings.image().limits().maxBytes()));
        } catch (ObjectStore.TooLargeException e) {
            return fail(bucket, key, eTag, started, new JobError("too_large",
                    "the object is larger than MAX_IMAGE_BYTES allows (" + e.limit() + " bytes)"), trace);
        }
        if (source.isEmpty()) {
            log.info("superseded {}/{} etag={}: not the current version (deleted, overwritten or never there)",
                    bucket, key, eTag);
            return Outcome.SUPERSEDED;
        }
        trace.sourceBytes(source.get().length);
        // In the job's trace context, so the record's S3.PutObject span joins the job's trace.
        CompletableFuture<Void> processing = CompletableFuture.runAsync(Context.current().wrap(
                () -> jobs.write(bucket, key, JobRecord.processing(eTag, started))), RECORD_WRITER);
        List<Rendition> renditions;
        try {
            renditions = renderer.render(source.get(), settings.renditions(), trace);
        } catch (ImageRejectedException e) {
            awaitWritten(processing);
            return fail(bucket, key, eTag, started, new JobError(e.reason().errorClass(), e.getMessage()), trace);
        } catch (RuntimeException | Error e) {
            awaitWritten(processing, e);
            throw e;
        }
        awaitWritten(processing);
        List<RenditionInfo> stored = trace.timed("store", () -> store(bucket, key, eTag, renditions));
        Instant finished = Instant.now();
        Map<String, Double> timings = trace.timingsMs();
        jobs.write(bucket, key, JobRecord.succeeded(eTag, started, finished, stored)
                .withTrace(Telemetry.currentTraceId(), timings).withSource(trace.source()));
        log.info("succeeded {}/{} etag={} in {} ms: {}, stages (ms) {}", bucket, key, eTag,
                Duration.between(started, finished).toMillis(), stored.stream()
                        .map(r -> r.name() + " " + r.width() + "x" + r.height() + " " + r.bytes() + " B").toList(),
                timings);
        return Outcome.SUCCEEDED;
    }

    private List<RenditionInfo> store(String bucket, String key, String eTag, List<Rendition> renditions) {
        List<RenditionInfo> stored = new ArrayList<>(renditions.size());
        for (Rendition r : renditions) {
            store.put(settings.buckets().thumbnails(), Layout.renditionKey(r.spec().name(), bucket, key), r.bytes(),
                    r.contentType(), Map.of("source-etag", eTag));
            stored.add(new RenditionInfo(r.spec().name(), r.width(), r.height(), r.contentType(), r.bytes().length,
                    profile.get(r.spec().name())));
        }
        return stored;
    }

    /**
     * Waits for the {@code processing} record to be stored: no later write of the job may overtake it.
     *
     * @throws io.github.knthumbnails.storage.StorageException as the write threw it (a key conflict included)
     */
    private static void awaitWritten(CompletableFuture<Void> processing) {
        try {
            processing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The same, while {@code failure} is on its way out: a failed write is attached to it, not thrown. */
    private static void awaitWritten(CompletableFuture<Void> processing, Throwable failure) {
        try {
            awaitWritten(processing);
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Records {@code failed} for a version storage has confirmed.
     *
     * @return {@link Outcome#FAILED}
     */
    Outcome fail(String bucket, String key, String eTag, Instant started, JobError error) {
        return fail(bucket, key, eTag, started, error, JobTrace.current());
    }

    private Outcome fail(String bucket, String key, String eTag, Instant started, JobError error, JobTrace trace) {
        trace.failed(error.errorClass());
        Map<String, Double> timings = trace.timingsMs();
        jobs.write(bucket, key, JobRecord.failed(eTag, started, Instant.now(), error)
                .withTrace(Telemetry.currentTraceId(), timings).withSource(trace.source()));
        log.info("failed {}/{} etag={}: {}: {}, stages (ms) {}", bucket, key, eTag, error.errorClass(),
                error.message(), timings);
        return Outcome.FAILED;
    }
}
