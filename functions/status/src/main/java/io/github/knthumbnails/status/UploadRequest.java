package io.github.knthumbnails.status;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The body of {@code POST /uploads} (issue 12): {@code {"filename": "cat.jpg", "contentType": "image/jpeg",
 * "bucket": "images"}}. Other members are ignored.
 *
 * @param filename    the file's name as the browser knows it, only a label ({@link UploadKeys#sanitise}); required,
 *                    not blank
 * @param contentType the file's type, lower-cased; required, {@code image/<subtype>} without parameters
 *                    (RFC 6838 §4.2 subtype characters), not {@code image/svg+xml}
 * @param bucket      the upload bucket to write to; {@code null} for the first one
 */
@Schema(name = "UploadRequest", description = "What the browser is about to upload. Other members are ignored; a"
        + " member given twice is a `400`.")
record UploadRequest(
        @Schema(description = "The file's name as the browser knows it: only a label in the key the server"
                + " chooses.", example = "cat.jpg", requiredMode = RequiredMode.REQUIRED) String filename,
        @Schema(description = "The file's type: `image/<subtype>` without parameters, not `image/svg+xml`. The"
                + " form only accepts a file sent with exactly this type.", example = "image/jpeg",
                requiredMode = RequiredMode.REQUIRED) String contentType,
        @Schema(description = "The upload bucket to write to; default the first (UPLOAD_BUCKETS).",
                example = "images") String bucket) {

    /** Strict: one JSON value, no member twice (which of two filenames would count?). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Pattern IMAGE_TYPE = Pattern.compile("image/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
    /** Script-capable, and not a format resize renders: never worth a write to storage. */
    private static final String SVG = "image/svg+xml";

    /**
     * @param body the request body, UTF-8 JSON; {@code null} when there was none
     * @return the request, content type lower-cased
     * @throws StatusController.BadRequest saying what is wrong: no body, not a JSON object, a member of the wrong
     *     type, a missing or blank {@code filename} or {@code contentType}, or a content type that is no image
     */
    static UploadRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new StatusController.BadRequest("expected a JSON body {\"filename\": \"cat.jpg\", \"contentType\":"
                    + " \"image/jpeg\"}, got none");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new StatusController.BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new StatusController.BadRequest("the body is not valid JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new StatusController.BadRequest("expected a JSON object {\"filename\": \"cat.jpg\","
                    + " \"contentType\": \"image/jpeg\"}");
        }
        String filename = text(json, "filename");
        String contentType = text(json, "contentType");
        String bucket = text(json, "bucket");
        if (filename == null || filename.isBlank()) {
            throw new StatusController.BadRequest("filename is required: the name of the file to upload, e.g."
                    + " \"cat.jpg\"");
        }
        if (contentType == null || contentType.isBlank()) {
            throw new StatusController.BadRequest("contentType is required: the file's type, e.g. \"image/jpeg\"");
        }
        String type = contentType.strip().toLowerCase(Locale.ROOT);
        if (!IMAGE_TYPE.matcher(type).matches()) {
            throw new StatusController.BadRequest("contentType must be image/<subtype> with no parameters, e.g."
                    + " image/jpeg; got '" + contentType + "'");
        }
        if (type.equals(SVG)) {
            throw new StatusController.BadRequest("contentType " + SVG + " is not accepted: SVG can carry scripts,"
                    + " and resize does not render it");
        }
        return new UploadRequest(filename, type, bucket == null || bucket.isBlank() ? null : bucket.strip());
    }

    private static String text(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new StatusController.BadRequest(member + " must be a JSON string, got " + value.getNodeType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        return value.textValue();
    }
}
