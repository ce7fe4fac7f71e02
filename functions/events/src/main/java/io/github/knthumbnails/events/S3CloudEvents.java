package io.github.knthumbnails.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * Maps S3 event records to CloudEvents and back, per the CloudEvents AWS S3 adapter
 * (cloudevents/spec {@code cloudevents/adapters/aws-s3.md}) with the choices this project pins:
 *
 * <table>
 *   <caption>attribute mapping</caption>
 *   <tr><th>attribute</th><th>value</th></tr>
 *   <tr><td>{@code type}</td><td>{@code com.amazonaws.s3.} + event name <em>without</em> MinIO's {@code s3:}
 *       prefix, e.g. {@code com.amazonaws.s3.ObjectCreated:Put} — the same type real AWS S3 events get</td></tr>
 *   <tr><td>{@code source}</td><td>{@code eventSource.awsRegion.bucket}, e.g. {@code minio:s3..images} when
 *       MinIO has no region configured (its default), {@code minio:s3.us-east-1.images} otherwise</td></tr>
 *   <tr><td>{@code subject}</td><td>the <em>decoded</em> object key ({@code uploads/My Cat.jpg}), so Trigger
 *       prefix/suffix filters work on real key text</td></tr>
 *   <tr><td>{@code id}</td><td>{@code x-amz-request-id} + {@code .} + 16 hex digits of SHA-256 over
 *       {@code x-amz-id-2}, event name, bucket, key, version id and sequencer. The adapter's
 *       {@code request-id.id-2} alone repeats for every record of one multi-object request (MinIO's
 *       {@code x-amz-id-2} is a per-node constant); the digest makes the id unique per record and identical on
 *       every redelivery of it</td></tr>
 *   <tr><td>{@code time}</td><td>{@code eventTime}</td></tr>
 *   <tr><td>{@code datacontenttype}, {@code data}</td><td>{@code application/json}, the single record
 *       (not MinIO's {@code {EventName, Key, Records}} wrapper)</td></tr>
 * </table>
 */
public final class S3CloudEvents {

    /** Prefix of every S3 event type, per the adapter. */
    public static final String TYPE_PREFIX = "com.amazonaws.s3.";

    private S3CloudEvents() {
    }

    /**
     * @param eventName a normalised event name, e.g. {@code ObjectCreated:Put}
     * @return the CloudEvent type, e.g. {@code com.amazonaws.s3.ObjectCreated:Put}
     */
    public static String type(String eventName) {
        return TYPE_PREFIX + eventName;
    }

    /**
     * Builds the CloudEvent for one record.
     *
     * @param record     the S3 record
     * @param extensions extension attributes to add (from {@code K_CE_OVERRIDES}); names must be lower-case
     *                   {@code [a-z0-9]}, values strings
     * @return the CloudEvent, {@code specversion} 1.0
     * @throws MalformedEventException  if {@code eventSource.awsRegion.bucket} is not a URI-reference (the core
     *                                  spec's requirement for {@code source})
     * @throws IllegalArgumentException if an extension name is not a valid attribute name
     */
    public static CloudEvent toCloudEvent(S3EventRecord record, Map<String, String> extensions) {
        OffsetDateTime time = record.eventTime() != null ? record.eventTime() : OffsetDateTime.now(ZoneOffset.UTC);
        String source = nullToEmpty(record.eventSource()) + "." + record.awsRegion() + "." + record.bucket();
        URI sourceUri;
        try {
            sourceUri = new URI(source);
        } catch (URISyntaxException e) {
            throw new MalformedEventException("eventSource, awsRegion and bucket give the CloudEvent source '"
                    + source + "', which is not a URI-reference: " + e.getReason(), e);
        }
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(id(record))
                .withSource(sourceUri)
                .withType(type(record.eventName()))
                .withSubject(record.key())
                .withTime(time)
                .withData("application/json", record.json());
        extensions.forEach(builder::withExtension);
        return builder.build();
    }

    /**
     * Reads the S3 record carried by an S3 CloudEvent.
     *
     * @param event a CloudEvent whose type starts with {@link #TYPE_PREFIX}
     * @return the record in its {@code data}
     * @throws MalformedEventException if the type is not an S3 type, there is no data, the data is not an S3
     *                                 record, or its event name or key disagree with {@code type}/{@code subject}
     */
    public static S3EventRecord recordOf(CloudEvent event) {
        if (!event.getType().startsWith(TYPE_PREFIX)) {
            throw new MalformedEventException("CloudEvent type '" + event.getType() + "' is not an S3 event type ("
                    + TYPE_PREFIX + "*)");
        }
        if (event.getData() == null) {
            throw new MalformedEventException("S3 CloudEvent " + event.getId() + " has no data; expected the S3 record");
        }
        S3EventRecord record = S3EventRecord.parseRecord(event.getData().toBytes());
        if (!event.getType().equals(type(record.eventName()))) {
            throw new MalformedEventException("CloudEvent type '" + event.getType() + "' disagrees with the record's"
                    + " eventName '" + record.eventName() + "'");
        }
        if (event.getSubject() != null && !event.getSubject().equals(record.key())) {
            throw new MalformedEventException("CloudEvent subject '" + event.getSubject() + "' disagrees with the"
                    + " record's key '" + record.key() + "'");
        }
        return record;
    }

    static String id(S3EventRecord record) {
        String identity = String.join("\n", nullToEmpty(record.amzId2()), record.eventName(), record.bucket(),
                record.key(), nullToEmpty(record.versionId()), nullToEmpty(record.sequencer()));
        String digest;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            digest = HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
        return record.requestId() == null ? digest : record.requestId() + "." + digest;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
