package io.github.knthumbnails.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventNames;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the jobs whose event a Knative Broker gave up delivering: the Trigger's {@code deadLetterSink} points
 * here, so an upload whose resize kept failing (storage down, pod killed, timeouts) shows {@code failed} with
 * error class {@value #ERROR_CLASS} instead of staying {@code pending} for ever.
 *
 * <p>The dead-lettered event is the original S3 CloudEvent plus the extension attributes Knative adds when it
 * dead-letters (knative/eventing docs {@code eventing/event-delivery.md}; channel dependent, so all optional):
 * {@value #ERROR_CODE} (the last HTTP status), {@value #ERROR_DEST} (the subscriber URL) and {@value #ERROR_DATA}
 * (the start of the last response body, base64). Only the job record is written; the source object is read
 * with one HEAD and never modified.
 *
 * <p>What a dead letter may overwrite (issue 8, finding 1). Anyone who reaches this endpoint can forge one, so
 * its effect must be temporary: {@code delivery_failed} is never final ({@link JobRecord#isFinal}), and the next
 * real delivery, a re-upload of the same bytes or a backfill processes the job again. A dead letter
 * <ul>
 *   <li>never touches a final record ({@code succeeded}, or an engine verdict): {@link Outcome#ALREADY_FINISHED};
 *   <li>never writes for a version storage does not confirm with a HEAD (finding 6): {@link Outcome#SUPERSEDED};
 *   <li>does overwrite {@code processing}, stale or fresh, and any non-final {@code failed}. A fresh
 *       {@code processing} may be a worker still running (a redelivery that raced the Broker's give-up); the
 *       worker writes its outcome last and so wins, and the dead letter only says what the Broker knows.
 *       Leaving a fresh {@code processing} alone instead would leave a job whose last attempt failed fast (and
 *       whose worker is gone) {@code processing} for ever, which nothing ever retries. So no rule here depends
 *       on the age of a record, and no clock (nor the Trigger's attempt timeout) needs to be known.</li>
 * </ul>
 */
public class DeadLetters {

    /** Where the status function accepts dead letters; Triggers' {@code deadLetterSink.uri} names it. */
    public static final String PATH = "/dead-letter";
    /** The error class a delivery failure is recorded with. */
    public static final String ERROR_CLASS = "delivery_failed";
    /** Extension attribute: HTTP status of the last delivery attempt. */
    public static final String ERROR_CODE = "knativeerrorcode";
    /** Extension attribute: the destination that failed. */
    public static final String ERROR_DEST = "knativeerrordest";
    /** Extension attribute: base64 of (the start of) the last response body. */
    public static final String ERROR_DATA = "knativeerrordata";
    /** How much of the last response body goes into the message, in characters. */
    static final int MAX_RESPONSE_CHARS = 120;

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Buckets buckets;
    private final ObjectStore store;
    private final JobStore jobs;

    /**
     * @param buckets which buckets are watched and where job records live
     * @param store   object storage
     */
    public DeadLetters(Buckets buckets, ObjectStore store) {
        this.buckets = buckets;
        this.store = store;
        this.jobs = new JobStore(store, buckets.thumbnails());
    }

    /** What became of one dead-lettered event. */
    public enum Outcome {
        /** A {@code failed} record was written for the announced version. */
        RECORDED,
        /** That version's job already has a final record (succeeded, or an engine verdict); it was left as is. */
        ALREADY_FINISHED,
        /** The announced version is gone (deleted or overwritten); its successor has a job of its own. */
        SUPERSEDED,
        /** Nothing to record: not an object-content event, not a watched bucket, or no ETag named. */
        IGNORED
    }

    /**
     * @param event the dead-lettered S3 CloudEvent
     * @param now   the time to record as {@code finished}
     * @return what was done
     * @throws io.github.knthumbnails.events.MalformedEventException if the event is not an S3 event with a record
     * @throws io.github.knthumbnails.storage.StorageException        if storage cannot be asked or written
     */
    public Outcome record(CloudEvent event, Instant now) {
        S3EventRecord record = S3CloudEvents.recordOf(event);
        if (!S3EventNames.createsContent(record.eventName()) || !buckets.isUpload(record.bucket())) {
            log.info("dead letter {} for {}/{} ignored: not a content event of a watched bucket", event.getId(),
                    record.bucket(), record.key());
            return Outcome.IGNORED;
        }
        String eTag = record.eTag();
        if (eTag == null) {
            // Every content event MinIO sends names its ETag; without one there is no telling which version the
            // delivery was for, and a caller on the status function's public route must not fail the current one.
            log.info("dead letter {} for {}/{} ignored: it names no ETag", event.getId(), record.bucket(),
                    record.key());
            return Outcome.IGNORED;
        }
        Optional<String> current = store.stat(record.bucket(), record.key()).map(ObjectInfo::eTag);
        if (!current.equals(Optional.of(eTag))) {
            log.info("dead letter {} for {}/{} etag={} ignored: that version is gone", event.getId(),
                    record.bucket(), record.key(), eTag);
            return Outcome.SUPERSEDED;
        }
        Optional<JobRecord> existing = jobs.read(record.bucket(), record.key())
                .filter(r -> r.sourceETag().equals(eTag));
        if (existing.isPresent() && existing.get().isFinal()) {
            log.info("dead letter {} for {}/{} etag={}: job already {}, left as it is", event.getId(),
                    record.bucket(), record.key(), eTag, existing.get().state().wireName());
            return Outcome.ALREADY_FINISHED;
        }
        Instant started = existing.map(JobRecord::started).orElse(now);
        JobError error = new JobError(ERROR_CLASS, message(event));
        jobs.write(record.bucket(), record.key(), JobRecord.failed(eTag, started, now, error));
        log.warn("dead letter {} for {}/{} etag={}: recorded failed: {}", event.getId(), record.bucket(),
                record.key(), eTag, error.message());
        return Outcome.RECORDED;
    }

    /**
     * @param event a dead-lettered event
     * @return e.g. {@code the Broker gave up delivering the event after its retries: the last attempt got HTTP
     *     503 from http://resize.thumbnails.svc.cluster.local (response: storage down)}
     */
    static String message(CloudEvent event) {
        String code = extension(event, ERROR_CODE);
        String dest = extension(event, ERROR_DEST);
        String data = extension(event, ERROR_DATA);
        StringBuilder m = new StringBuilder("the Broker gave up delivering the event after its retries");
        if (code != null || dest != null) {
            m.append(": the last attempt got ").append(code == null ? "no HTTP status" : "HTTP " + code)
                    .append(" from ").append(dest == null ? "the subscriber" : dest);
        }
        String response = data == null ? null : decodeBase64(data);
        if (response != null && !response.isBlank()) {
            String text = response.strip();
            m.append(" (response: ").append(text.length() > MAX_RESPONSE_CHARS
                    ? text.substring(0, MAX_RESPONSE_CHARS) + "…" : text).append(')');
        }
        return m.toString();
    }

    private static String extension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return value == null || value.toString().isBlank() ? null : value.toString();
    }

    /** The data is base64 in the channels that set it; anything else is shown as it came. */
    private static String decodeBase64(String data) {
        try {
            return new String(Base64.getDecoder().decode(data.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return data;
        }
    }
}
