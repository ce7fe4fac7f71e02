package io.github.knthumbnails.resize;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventNames;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.image.ImageRejectedException;
import io.github.knthumbnails.image.Rendition;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one S3 CloudEvent: reads the source version it announces, writes every rendition and the job record.
 *
 * <p>Failure semantics (architecture page): a source that cannot become an image is recorded {@code failed}
 * and acknowledged; a source deleted or overwritten since the event is acknowledged with nothing written (its
 * newer version has an event of its own); storage trouble is thrown as {@link StorageException} so the caller
 * answers 5xx and the Broker retries. The source object is only ever read. A redelivered event whose job has
 * finished changes nothing; one whose job was cut short rewrites identical renditions, which are a pure function
 * of the source bytes and the rendition specs.
 */
public class ResizeService {

    private static final Logger log = LoggerFactory.getLogger(ResizeService.class);
    /** How often to follow a source that is overwritten while we work before leaving it to its own event. */
    private static final int MAX_PASSES = 3;

    private final ResizeSettings settings;
    private final ObjectStore store;
    private final JobStore jobs;
    private final ImageEngine engine;

    /**
     * @param settings configuration
     * @param store    object storage
     * @param engine   the image engine
     */
    public ResizeService(ResizeSettings settings, ObjectStore store, ImageEngine engine) {
        this.settings = settings;
        this.store = store;
        this.jobs = new JobStore(store, settings.buckets().thumbnails());
        this.engine = engine;
    }

    /** What became of one event. */
    public enum Outcome {
        /** Every rendition and a {@code succeeded} record were written. */
        SUCCEEDED,
        /** The source can never become an image; a {@code failed} record was written. */
        FAILED,
        /** Nothing to do: not an object-content event, not a watched bucket, or a key MinIO cannot store. */
        IGNORED,
        /** The announced version is gone (deleted or overwritten); nothing was written. */
        SUPERSEDED
    }

    /**
     * @param event an S3 CloudEvent ({@code com.amazonaws.s3.*})
     * @return what happened
     * @throws io.github.knthumbnails.events.MalformedEventException if the event is not an S3 event with a record
     * @throws StorageException                                      if storage failed; retrying may help
     */
    public Outcome handle(CloudEvent event) {
        S3EventRecord record = S3CloudEvents.recordOf(event);
        if (!S3EventNames.createsContent(record.eventName())) {
            log.debug("ignored {} {}/{}: not a content-creating event", record.eventName(), record.bucket(), record.key());
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
        // Content-creating records always carry an ETag; be lenient with hand-made events that do not.
        String eTag = record.eTag() != null ? record.eTag()
                : store.stat(record.bucket(), record.key()).map(ObjectInfo::eTag).orElse(null);
        Outcome outcome = Outcome.SUPERSEDED;
        for (int pass = 0; pass < MAX_PASSES && eTag != null; pass++) {
            outcome = process(record.bucket(), record.key(), eTag, pass == 0 ? record.size() : null);
            if (outcome == Outcome.SUPERSEDED) {
                return outcome;
            }
            // The source may have been overwritten while we worked, and our record may have replaced the newer
            // version's. Follow the newest version until what we wrote last matches it.
            Optional<String> current = store.stat(record.bucket(), record.key()).map(ObjectInfo::eTag);
            if (current.isEmpty() || current.get().equals(eTag)) {
                return outcome;
            }
            eTag = current.get();
        }
        return outcome;
    }

    private boolean storable(String bucket, String key) {
        return Layout.isStorable(key) && Layout.isStorable(Layout.jobKey(bucket, key)) && settings.renditions()
                .stream().allMatch(spec -> Layout.isStorable(Layout.renditionKey(spec.name(), bucket, key)));
    }

    private Outcome process(String bucket, String key, String eTag, Long announcedSize) {
        Instant started = Instant.now();
        // A redelivered event (Brokers deliver at least once) finds its job finished: leave it as it is.
        Optional<JobRecord> done = jobs.read(bucket, key)
                .filter(r -> r.sourceETag().equals(eTag) && r.state() != JobState.PROCESSING);
        if (done.isPresent()) {
            log.info("already {} {}/{} etag={}: nothing to do", done.get().state().wireName(), bucket, key, eTag);
            return done.get().state() == JobState.SUCCEEDED ? Outcome.SUCCEEDED : Outcome.FAILED;
        }
        long maxBytes = settings.image().limits().maxBytes();
        if (announcedSize != null && announcedSize > maxBytes) {
            return fail(bucket, key, eTag, started, new JobError("too_large", "the object is " + announcedSize
                    + " bytes; MAX_IMAGE_BYTES allows " + maxBytes));
        }
        Optional<byte[]> source;
        try {
            source = store.getIfMatch(bucket, key, eTag, maxBytes);
        } catch (ObjectStore.TooLargeException e) {
            return fail(bucket, key, eTag, started, new JobError("too_large",
                    "the object is larger than MAX_IMAGE_BYTES allows (" + e.limit() + ")"));
        }
        if (source.isEmpty()) {
            log.info("superseded {}/{} etag={}: deleted or overwritten since the event", bucket, key, eTag);
            return Outcome.SUPERSEDED;
        }
        jobs.write(bucket, key, JobRecord.processing(eTag, started));
        List<Rendition> renditions;
        try {
            renditions = engine.render(source.get(), settings.renditions());
        } catch (ImageRejectedException e) {
            return fail(bucket, key, eTag, started, new JobError(e.reason().errorClass(), e.getMessage()));
        }
        List<RenditionInfo> stored = new ArrayList<>(renditions.size());
        for (Rendition r : renditions) {
            store.put(settings.buckets().thumbnails(), Layout.renditionKey(r.spec().name(), bucket, key), r.bytes(),
                    r.contentType(), Map.of("source-etag", eTag));
            stored.add(new RenditionInfo(r.spec().name(), r.width(), r.height(), r.contentType(), r.bytes().length));
        }
        Instant finished = Instant.now();
        jobs.write(bucket, key, JobRecord.succeeded(eTag, started, finished, stored));
        log.info("succeeded {}/{} etag={} in {} ms: {}", bucket, key, eTag,
                Duration.between(started, finished).toMillis(), stored.stream()
                        .map(r -> r.name() + " " + r.width() + "x" + r.height() + " " + r.bytes() + " B").toList());
        return Outcome.SUCCEEDED;
    }

    private Outcome fail(String bucket, String key, String eTag, Instant started, JobError error) {
        jobs.write(bucket, key, JobRecord.failed(eTag, started, Instant.now(), error));
        log.info("failed {}/{} etag={}: {}: {}", bucket, key, eTag, error.errorClass(), error.message());
        return Outcome.FAILED;
    }
}
