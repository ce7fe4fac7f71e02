package io.github.knthumbnails.local;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.knthumbnails.events.MinioKeys;
import io.github.knthumbnails.events.S3EventRecord;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Builds MinIO webhook bodies: {@code {"EventName", "Key", "Records": [record]}}, one record per body, field by
 * field in MinIO's order.
 *
 * <p>Sources: minio/minio {@code internal/event/event.go} (record struct and field order, {@code omitempty} on
 * size/eTag/contentType/userMetadata), {@code cmd/event-notification.go} ({@code ToEvent}: key encoded with
 * {@code url.QueryEscape}, removed-object events carry no size/eTag/contentType/userMetadata, sequencer = upper-case
 * hex of ModTime in ns, else of the event time), {@code internal/event/target/webhook.go} (the envelope), and the
 * captures in {@code shared/testdata/events/minio/}. Not thread-confined: instances are immutable.
 */
final class MinioEvents {

    static final String PUT = "s3:ObjectCreated:Put";
    static final String POST = "s3:ObjectCreated:Post";
    static final String COPY = "s3:ObjectCreated:Copy";
    static final String COMPLETE_MULTIPART_UPLOAD = "s3:ObjectCreated:CompleteMultipartUpload";
    static final String DELETE = "s3:ObjectRemoved:Delete";

    /** The address every request comes from: the server only listens on loopback. */
    static final String LOOPBACK = "127.0.0.1";

    /** MinIO's {@code AMZTimeFormat} ({@code 2006-01-02T15:04:05.000Z}): always three fraction digits, UTC. */
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** S3Proxy's own bookkeeping in user metadata (e.g. {@code s3proxy_checksum_crc32c}); MinIO has no such keys. */
    private static final String S3PROXY_METADATA_PREFIX = "s3proxy_";

    private static final ObjectMapper JSON = new ObjectMapper(new JsonFactoryBuilder()
            .characterEscapes(new GoStyleEscapes())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build());

    private final String principalId;
    private final String deploymentId;
    private final String originEndpoint;
    private final String amzId2;

    /**
     * @param principalId    the access key: MinIO's {@code userIdentity.principalId}
     * @param deploymentId   {@code x-minio-deployment-id}, a UUID that stays the same for one data directory
     * @param originEndpoint the server URL ({@code x-minio-origin-endpoint}); {@code null} gives {@code ""}, which
     *                       MinIO also sends when it does not know it (minio/minio#12954)
     */
    MinioEvents(String principalId, String deploymentId, URI originEndpoint) {
        this.principalId = Objects.requireNonNull(principalId, "principalId");
        this.deploymentId = Objects.requireNonNull(deploymentId, "deploymentId");
        this.originEndpoint = originEndpoint == null ? "" : originEndpoint.toString();
        // MinIO: x-amz-id-2 = hex SHA-256 of the local node name (cmd/globals.go globalNodeNamesHex); the node
        // name of a one-node server is its host:port, so the value is constant per server, not per request.
        this.amzId2 = sha256Hex(originEndpoint == null ? "" : originEndpoint.getRawAuthority());
    }

    /**
     * The state of an object right after a write, as a metadata call on the store reports it.
     *
     * @param size         content length in bytes
     * @param eTag         entity tag without quotes; {@code null} or empty when unknown
     * @param contentType  the object's Content-Type; {@code null} when unknown
     * @param userMetadata MinIO's {@code userMetadata} map, already in MinIO's key spelling
     * @param lastModified modification time; {@code null} when unknown (the event time is used instead)
     */
    record ObjectState(long size, String eTag, String contentType, SortedMap<String, String> userMetadata,
                       Instant lastModified) {

        /**
         * Converts S3Proxy's HEAD answer. User-metadata keys come back lower-cased from S3Proxy; they become
         * {@code X-Amz-Meta-<Canonical-Form>} (MinIO keeps the canonical HTTP spelling, {@code
         * cmd/handler-utils.go extractMetadataFromMime}); the standard headers MinIO stores with the object appear
         * lower-case ({@code content-type}, {@code cache-control}, ...). S3Proxy's {@code s3proxy_*} bookkeeping
         * keys are dropped. Quotes around the ETag are removed.
         *
         * @param head the metadata answer of {@code BlobStore.blobMetadata}
         * @return the state to put in a record
         */
        static ObjectState of(HeadObjectResponse head) {
            SortedMap<String, String> metadata = new TreeMap<>();
            for (Map.Entry<String, String> entry : head.metadata().entrySet()) {
                if (entry.getKey().toLowerCase(Locale.ROOT).startsWith(S3PROXY_METADATA_PREFIX)) {
                    continue;
                }
                metadata.put(canonicalHeaderKey("x-amz-meta-" + entry.getKey()), entry.getValue());
            }
            putIfPresent(metadata, "content-type", head.contentType());
            putIfPresent(metadata, "cache-control", head.cacheControl());
            putIfPresent(metadata, "content-disposition", head.contentDisposition());
            putIfPresent(metadata, "content-encoding", head.contentEncoding());
            putIfPresent(metadata, "content-language", head.contentLanguage());
            long size = head.contentLength() == null ? 0 : head.contentLength();
            return new ObjectState(size, S3EventRecord.unquote(head.eTag()), head.contentType(), metadata,
                    head.lastModified());
        }

        private static void putIfPresent(Map<String, String> map, String key, String value) {
            if (value != null && !value.isEmpty()) {
                map.put(key, value);
            }
        }
    }

    /**
     * Builds the body of one webhook POST.
     *
     * @param eventName e.g. {@link #PUT}; {@code s3:ObjectRemoved:*} names get a record without object state
     * @param bucket    bucket name
     * @param key       object key, not encoded
     * @param object    the object after the write; {@code null} for removed objects
     * @param eventTime when the operation finished
     * @return compact UTF-8 JSON, escaped like Go's {@code encoding/json}
     */
    byte[] webhookBody(String eventName, String bucket, String key, ObjectState object, Instant eventTime) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("EventName", eventName);
        envelope.put("Key", bucket + "/" + key);
        envelope.putArray("Records").add(record(eventName, bucket, key, object, eventTime, newRequestId()));
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a JSON tree of strings and numbers cannot fail", e);
        }
    }

    ObjectNode record(String eventName, String bucket, String key, ObjectState object, Instant eventTime,
                      String requestId) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.0");
        record.put("eventSource", "minio:s3");
        record.put("awsRegion", "");
        record.put("eventTime", EVENT_TIME.format(eventTime));
        record.put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", principalId);
        ObjectNode request = record.putObject("requestParameters");
        request.put("principalId", principalId);
        request.put("region", "");
        request.put("sourceIPAddress", LOOPBACK);
        ObjectNode response = record.putObject("responseElements");
        response.put("x-amz-id-2", amzId2);
        response.put("x-amz-request-id", requestId);
        response.put("x-minio-deployment-id", deploymentId);
        response.put("x-minio-origin-endpoint", originEndpoint);
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "Config");
        ObjectNode bucketNode = s3.putObject("bucket");
        bucketNode.put("name", bucket);
        bucketNode.putObject("ownerIdentity").put("principalId", principalId);
        bucketNode.put("arn", "arn:aws:s3:::" + bucket);
        ObjectNode objectNode = s3.putObject("object");
        objectNode.put("key", MinioKeys.encode(key));
        Instant sequenced = eventTime;
        if (object != null && !eventName.startsWith("s3:ObjectRemoved:")) {
            if (object.size() > 0) {
                objectNode.put("size", object.size());
            }
            putIfNotEmpty(objectNode, "eTag", object.eTag());
            putIfNotEmpty(objectNode, "contentType", object.contentType());
            if (!object.userMetadata().isEmpty()) {
                ObjectNode metadata = objectNode.putObject("userMetadata");
                object.userMetadata().forEach(metadata::put);
            }
            if (object.lastModified() != null) {
                sequenced = object.lastModified();
            }
        }
        objectNode.put("sequencer", sequencer(sequenced));
        ObjectNode source = record.putObject("source");
        source.put("host", LOOPBACK);
        source.put("port", "");
        source.put("userAgent", "");
        return record;
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    /** Go's {@code fmt.Sprintf("%X", t.UnixNano())}: upper-case hex, no padding. */
    static String sequencer(Instant time) {
        long nanos = Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        return Long.toHexString(nanos).toUpperCase(Locale.ROOT);
    }

    /** 16 upper-case hex digits, random per request (MinIO's look: {@code 182178E8B36AC9DF}). */
    static String newRequestId() {
        return String.format(Locale.ROOT, "%016X", ThreadLocalRandom.current().nextLong());
    }

    /**
     * Go's {@code http.CanonicalHeaderKey}: upper-case the first letter and every letter after a hyphen,
     * lower-case the rest; a key with a byte that is not an HTTP token character is returned unchanged.
     */
    static String canonicalHeaderKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (!isTokenChar(key.charAt(i))) {
                return key;
            }
        }
        StringBuilder out = new StringBuilder(key.length());
        boolean upper = true;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (upper && c >= 'a' && c <= 'z') {
                c = (char) (c - ('a' - 'A'));
            } else if (!upper && c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            out.append(c);
            upper = c == '-';
        }
        return out.toString();
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Go's {@code encoding/json} writes {@code <}, {@code >}, {@code &}, U+2028 and U+2029 as six-character
     * backslash-u escapes with lower-case hex digits; Jackson leaves these characters
     * literal. The JSON means the same either way; this keeps the bytes the same too.
     */
    private static final class GoStyleEscapes extends CharacterEscapes {

        private final int[] table;

        GoStyleEscapes() {
            table = standardAsciiEscapesForJSON();
            table['<'] = ESCAPE_STANDARD;
            table['>'] = ESCAPE_STANDARD;
            table['&'] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch));
            }
            return null;
        }
    }
}
