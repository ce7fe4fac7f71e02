package io.github.knthumbnails.backfill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.MinioKeys;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.ObjectInfo;

/**
 * The CloudEvent the backfill sends for one upload: the very event the minio-source makes from MinIO's
 * {@code s3:ObjectCreated:Put} notification ({@link S3CloudEvents#toCloudEvent}), so the Trigger's filter, resize
 * and the dead-letter sink treat it as any other upload. Its S3 record is written as MinIO writes one
 * (contracts.md, "MinIO webhook"): the key encoded as MinIO encodes it, the listing's ETag and size.
 *
 * <p>{@code eventTime} is when the backfill sends, not when the object was written: resize measures upload→done
 * latency from it, and an upload from last month would otherwise land in the slowest bucket. The record's
 * {@code x-amz-request-id} is {@code backfill-<run>}, so each run's events have ids of their own and a job's
 * trace shows where its event came from; {@code sequencer} is the object's modification time in nanoseconds, in
 * upper-case hex, as MinIO's.
 */
final class BackfillEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runId;

    /** @param runId what tells this run's events apart, {@code [A-Za-z0-9-]}, e.g. the start time in milliseconds */
    BackfillEvents(String runId) {
        this.runId = runId;
    }

    /**
     * @param upload an object of an upload bucket, as listed
     * @param now    the event's time
     * @return a {@code com.amazonaws.s3.ObjectCreated:Put} CloudEvent for its current version
     */
    CloudEvent created(ObjectInfo upload, Instant now) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.0");
        record.put("eventSource", "minio:s3");
        record.put("awsRegion", "");
        record.put("eventTime", now.atOffset(ZoneOffset.UTC).toString());
        record.put("eventName", "s3:ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", "backfill");
        record.putObject("responseElements").put("x-amz-request-id", "backfill-" + runId);
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "backfill");
        s3.putObject("bucket").put("name", upload.bucket()).put("arn", "arn:aws:s3:::" + upload.bucket());
        Instant modified = upload.lastModified();
        s3.putObject("object")
                .put("key", MinioKeys.encode(upload.key()))
                .put("size", upload.size())
                .put("eTag", upload.eTag())
                .put("sequencer", Long.toHexString(modified.getEpochSecond() * 1_000_000_000L + modified.getNano())
                        .toUpperCase(Locale.ROOT));
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a JSON tree to memory cannot fail", e);
        }
        return S3CloudEvents.toCloudEvent(S3EventRecord.parseRecord(json), Map.of());
    }
}
