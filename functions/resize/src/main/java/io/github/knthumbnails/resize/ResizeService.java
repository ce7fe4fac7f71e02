package io.github.knthumbnails.resize;

import java.time.Instant;
import java.util.Set;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventNames;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one S3 CloudEvent: a content-creating event brings the source's current version to a final job record
 * ({@link JobRunner}); a removal event deletes the removed key's renditions and job record, and processes the
 * key again if it was re-uploaded meanwhile ({@link Removals}).
 *
 * <p>Failure semantics (architecture page): a source that cannot become an image is recorded {@code failed}
 * and acknowledged; a source deleted or overwritten since the event is acknowledged and its current version
 * followed; storage trouble is thrown as {@link StorageException} so the caller answers 5xx and the Broker
 * retries — except a storage failure caused by a derived key conflict ({@link KeyConflicts}), which is repaired
 * when that is safe and otherwise recorded {@code failed} with error class {@value #KEY_CONFLICT} and
 * acknowledged, because retrying can never help (issue 8, finding 4). The source object is only ever read.
 */
public class ResizeService {

    /** Error class of a job whose derived keys are blocked by an existing source's (not final). */
    public static final String KEY_CONFLICT = "key_conflict";
    private static final Logger log = LoggerFactory.getLogger(ResizeService.class);

    private final ResizeSettings settings;
    private final ObjectStore store;
    private final JobRunner runner;
    private final Removals removals;
    private final KeyConflicts conflicts;
    private final Set<String> renditionNames;

    /**
     * @param settings configuration
     * @param store    object storage
     * @param renderer turns source bytes into renditions (the image engine)
     */
    public ResizeService(ResizeSettings settings, ObjectStore store, Renderer renderer) {
        this.settings = settings;
        this.store = store;
        JobStore jobs = new JobStore(store, settings.buckets().thumbnails());
        this.runner = new JobRunner(settings, store, jobs, renderer);
        this.removals = new Removals(settings, store, jobs, runner);
        this.conflicts = new KeyConflicts(settings, store);
        this.renditionNames = settings.profile().keySet();
    }

    /** What became of one event. */
    public enum Outcome {
        /** Every rendition and a {@code succeeded} record were written (or were there already). */
        SUCCEEDED,
        /** The source cannot be processed; a {@code failed} record was written (or was there already). */
        FAILED,
        /** Nothing to do: not an object event, not a watched bucket, a key MinIO cannot store, or a removed key
         *  that exists (again). */
        IGNORED,
        /** The announced version is gone (deleted or overwritten) and nothing newer needs work. */
        SUPERSEDED,
        /** The key is gone; its renditions and job record were deleted. */
        REMOVED
    }

    /**
     * @param event an S3 CloudEvent ({@code com.amazonaws.s3.*})
     * @return what happened
     * @throws io.github.knthumbnails.events.MalformedEventException if the event is not an S3 event with a record
     * @throws StorageException                                      if storage failed; retrying may help
     */
    public Outcome handle(CloudEvent event) {
        S3EventRecord record = S3CloudEvents.recordOf(event);
        boolean removes = S3EventNames.removesContent(record.eventName());
        if (!removes && !S3EventNames.createsContent(record.eventName())) {
            log.debug("ignored {} {}/{}: neither creates nor removes content", record.eventName(), record.bucket(),
                    record.key());
            return Outcome.IGNORED;
        }
        if (!settings.buckets().isUpload(record.bucket())) {
            log.info("ignored {}/{}: bucket is not in UPLOAD_BUCKETS {}", record.bucket(), record.key(),
                    settings.buckets().upload());
            return Outcome.IGNORED;
        }
        if (!storable(record.bucket(), record.key())) {
            log.error("ignored {}/{}: the key, or its mirror in {}, is longer than {} bytes or has a '.' or '..'"
                    + " segment, which MinIO cannot store", record.bucket(), record.key(),
                    settings.buckets().thumbnails(), Layout.MAX_KEY_BYTES);
            return Outcome.IGNORED;
        }
        return removes ? removals.handle(record.bucket(), record.key())
                : create(record.bucket(), record.key(), record.eTag());
    }

    private Outcome create(String bucket, String key, String eTag) {
        try {
            return runner.run(bucket, key, eTag);
        } catch (StorageException e) {
            switch (conflicts.repair(bucket, key)) {
                case NONE -> throw e;
                case REPAIRED -> {
                    return runner.run(bucket, key, eTag);
                }
                default -> {
                    return recordConflict(bucket, key, e);
                }
            }
        }
    }

    /** Records the conflict where that is possible (it is not when the job record's own key is blocked). */
    private Outcome recordConflict(String bucket, String key, StorageException cause) {
        String current = store.stat(bucket, key).map(ObjectInfo::eTag).orElse(null);
        if (current == null) {
            return Outcome.SUPERSEDED;
        }
        try {
            runner.fail(bucket, key, current, Instant.now(), new JobError(KEY_CONFLICT, "a derived object of"
                    + " another, existing source is in the way of this key's renditions or job record: " + cause
                    .getMessage()));
        } catch (StorageException e) {
            log.error("{}/{} etag={}: key_conflict could not be recorded either ({}); acknowledged, not retried",
                    bucket, key, current, e.getMessage());
        }
        return Outcome.FAILED;
    }

    private boolean storable(String bucket, String key) {
        return Layout.isProcessable(bucket, key, renditionNames);
    }
}
