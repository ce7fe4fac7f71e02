package io.github.knthumbnails.events;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One S3 event record (an element of {@code Records[]}) as MinIO or AWS S3 sends it, with the fields the
 * pipeline uses pulled out and the original JSON kept for the CloudEvent {@code data}.
 *
 * <p>Shape: minio/minio {@code internal/event/event.go}; field history in {@code shared/testdata/events/SOURCES.md}.
 * Removed-object records carry no size, eTag or content type; a 0-byte object has no {@code size}.
 *
 * @param eventName   normalised event name without MinIO's {@code s3:} prefix, e.g. {@code ObjectCreated:Put}
 * @param eventSource {@code minio:s3} (MinIO) or {@code aws:s3} (AWS)
 * @param awsRegion   the site region; {@code ""} when MinIO has none configured (its default)
 * @param eventTime   when the operation happened (RFC 3339; whole seconds before MinIO 2020-05, milliseconds after)
 * @param bucket      bucket name
 * @param key         the object key, decoded (see {@link MinioKeys})
 * @param size        object size in bytes; {@code null} when absent (removed objects, 0-byte objects)
 * @param eTag        entity tag without quotes, e.g. {@code eb52f8e4...} or {@code 5fc72981...-1} for multipart;
 *                    {@code null} when absent
 * @param contentType the object's Content-Type; {@code null} when absent
 * @param versionId   version id; {@code null} on unversioned buckets
 * @param sequencer   MinIO's per-object ordering token (upper-case hex of the modification time in ns)
 * @param requestId   {@code responseElements."x-amz-request-id"}; {@code null} when absent
 * @param amzId2      {@code responseElements."x-amz-id-2"} (a per-node hash in MinIO); {@code null} when absent
 * @param json        the record exactly as received, re-serialised as UTF-8 JSON (key order kept)
 */
public record S3EventRecord(
        String eventName,
        String eventSource,
        String awsRegion,
        OffsetDateTime eventTime,
        String bucket,
        String key,
        Long size,
        String eTag,
        String contentType,
        String versionId,
        String sequencer,
        String requestId,
        String amzId2,
        byte[] json) {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses the body of a MinIO webhook POST: {@code {"EventName": ..., "Key": ..., "Records": [record]}}
     * (minio/minio {@code internal/event/target/webhook.go}; exactly one record per POST in practice, all of
     * them are returned).
     *
     * @param body the request body; empty (or only white space) for MinIO's registration probe
     * @return the records in order; empty for an empty body
     * @throws MalformedEventException if the body is not JSON, not an object with a {@code Records} array, or a
     *                                 record lacks a required field
     */
    public static List<S3EventRecord> parseWebhookBody(byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("body is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedEventException("body is not JSON: " + e.getMessage(), e);
        }
        JsonNode records = root == null ? null : root.get("Records");
        if (records == null || !records.isArray()) {
            throw new MalformedEventException("expected a MinIO notification {\"EventName\", \"Key\", \"Records\": [...]}"
                    + " but the body has no Records array");
        }
        List<S3EventRecord> result = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            result.add(fromJson(records.get(i), "Records[" + i + "]"));
        }
        return result;
    }

    /**
     * Parses one record, e.g. the {@code data} of an S3 CloudEvent.
     *
     * @param json a UTF-8 JSON object in S3 record shape
     * @return the record
     * @throws MalformedEventException if it is not JSON or lacks {@code eventName}, {@code s3.bucket.name} or
     *                                 {@code s3.object.key}, or a field has the wrong form
     */
    public static S3EventRecord parseRecord(byte[] json) {
        try {
            return fromJson(JSON.readTree(json), "record");
        } catch (IOException e) {
            throw new MalformedEventException("record is not JSON: " + e.getMessage(), e);
        }
    }

    private static S3EventRecord fromJson(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new MalformedEventException(where + " is not a JSON object");
        }
        JsonNode s3 = node.path("s3");
        JsonNode object = s3.path("object");
        String eventName = required(node.path("eventName"), where + ".eventName");
        String bucket = required(s3.path("bucket").path("name"), where + ".s3.bucket.name");
        String encodedKey = required(object.path("key"), where + ".s3.object.key");
        String time = optional(node.path("eventTime"));
        OffsetDateTime eventTime = null;
        if (time != null) {
            try {
                eventTime = OffsetDateTime.parse(time);
            } catch (DateTimeParseException e) {
                throw new MalformedEventException(where + ".eventTime '" + time + "' is not an RFC 3339 time", e);
            }
        }
        JsonNode sizeNode = object.path("size");
        if (!sizeNode.isMissingNode() && !sizeNode.isNull() && !sizeNode.canConvertToLong()) {
            throw new MalformedEventException(where + ".s3.object.size is not a number");
        }
        JsonNode response = node.path("responseElements");
        byte[] raw;
        try {
            raw = JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("re-serialising a parsed JSON tree cannot fail", e);
        }
        return new S3EventRecord(
                S3EventNames.normalise(eventName),
                optional(node.path("eventSource")),
                node.path("awsRegion").asText(""),
                eventTime,
                bucket,
                MinioKeys.decode(encodedKey),
                sizeNode.isNumber() ? sizeNode.asLong() : null,
                unquote(optional(object.path("eTag"))),
                optional(object.path("contentType")),
                optional(object.path("versionId")),
                optional(object.path("sequencer")),
                optional(response.path("x-amz-request-id")),
                optional(response.path("x-amz-id-2")),
                raw);
    }

    private static String required(JsonNode node, String name) {
        String value = optional(node);
        if (value == null) {
            throw new MalformedEventException(name + " is missing or empty");
        }
        return value;
    }

    private static String optional(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    /**
     * Removes the double quotes S3 puts around ETags (RFC 9110 §8.8.3 entity-tag syntax).
     *
     * @param eTag an ETag with or without quotes, or {@code null}
     * @return the ETag without quotes, or {@code null}
     */
    public static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }
}
