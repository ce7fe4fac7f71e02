package io.github.knthumbnails.status;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.knthumbnails.storage.SourceImage;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The JSON answer about one upload ({@code GET /status/...}, and each element of {@code GET /jobs}). Absent
 * values are left out.
 *
 * @param bucket      source bucket
 * @param key         source key
 * @param etag        the source's current ETag: the job this answer is about
 * @param size        source size in bytes
 * @param contentType source Content-Type (absent in listings)
 * @param status      {@code pending}, {@code processing}, {@code succeeded} or {@code failed}; {@code unknown}
 *                    when the job record could not be read (or not in time), with {@code error} saying why
 *                    (issue 8, findings 4 and 9)
 * @param uploaded    when the source version was written (its Last-Modified)
 * @param started     when the resize function started on this version
 * @param finished    when it finished
 * @param renditions  the stored renditions, with short-lived links (succeeded only)
 * @param error       why it failed (failed), or why the status is unknown (unknown)
 * @param traceId     the OpenTelemetry trace the job ran in (32 hex digits), to look up in a tracing backend
 * @param timingsMs   where the job's time went, milliseconds per stage in the order they ran: {@code fetch} (the
 *                    source GET), {@code admit}, {@code decode}, {@code resize}, {@code encode} (summed over the
 *                    renditions), {@code store} (their PUTs); issue 11
 * @param source      the source's format and pixel size as stored in the file ({@code {"format": "jpeg", "width":
 *                    4032, "height": 3024}}), once the engine admitted it; issue 12
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Job", description = "What happened to one upload: the job of the object's current version. Absent"
        + " values are left out.")
public record JobView(
        @Schema(description = "Source bucket (an upload bucket).", example = "images",
                requiredMode = RequiredMode.REQUIRED) String bucket,
        @Schema(description = "Source key, decoded.", example = "uploads/My Cat.jpg",
                requiredMode = RequiredMode.REQUIRED) String key,
        @Schema(description = "The source's current ETag, without quotes: the version this answer is about.",
                example = "99e78c0d135b35d45ec20feb4a540c1a", requiredMode = RequiredMode.REQUIRED) String etag,
        @Schema(description = "Source size in bytes.", minimum = "0", requiredMode = RequiredMode.REQUIRED)
        long size,
        @Schema(description = "Source Content-Type as stored (absent in GET /jobs, whose listing does not carry"
                + " it, and when the object has none).", example = "image/jpeg") String contentType,
        @Schema(description = "`pending` (nothing recorded for this ETag yet), `processing`, `succeeded`,"
                + " `failed` (see `error`), or `unknown` when the job record could not be read, or not in time"
                + " (see `error`; ask again).",
                allowableValues = {"pending", "processing", "succeeded", "failed", StatusService.UNKNOWN},
                requiredMode = RequiredMode.REQUIRED) String status,
        @Schema(description = "When the source version was written (its Last-Modified).",
                requiredMode = RequiredMode.REQUIRED) Instant uploaded,
        @Schema(description = "When the resize function started on this version.") Instant started,
        @Schema(description = "When it finished (succeeded or failed).") Instant finished,
        @Schema(description = "The stored renditions with short-lived links (succeeded only).")
        List<RenditionView> renditions,
        @Schema(description = "Why it failed (failed), or why the status is unknown (unknown).") ErrorView error,
        @Schema(description = "The OpenTelemetry trace the job ran in, to look up in a tracing backend.",
                pattern = "^[0-9a-f]{32}$") String traceId,
        @Schema(description = "Where the job's time went: milliseconds per stage in the order they ran, of"
                + " `fetch` (the source GET), `admit`, `decode`, `resize`, `encode` (summed over the renditions)"
                + " and `store` (their PUTs).", example = "{\"fetch\": 12.5, \"decode\": 30.1}")
        Map<String, Double> timingsMs,
        @Schema(description = "The source's format and pixel size as stored in the file, once the image engine"
                + " admitted it.", implementation = SourceImageSchema.class) SourceImage source) {

    /**
     * @param name        rendition name
     * @param width       width in pixels
     * @param height      height in pixels
     * @param contentType e.g. {@code image/jpeg}
     * @param bytes       size in bytes
     * @param spec        the fingerprint of the rendition spec that made it, {@code null} when the record predates
     *                    fingerprints (issue 13)
     * @param bucket      where it is stored
     * @param key         its key there
     * @param url         a presigned GET link, valid until {@code urlExpires}
     * @param urlExpires  when the link stops working
     */
    @Schema(name = "Rendition", description = "One stored rendition of a succeeded job.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RenditionView(
            @Schema(description = "Rendition name, as configured.", example = "thumb",
                    requiredMode = RequiredMode.REQUIRED) String name,
            @Schema(description = "Width in pixels.", minimum = "1", requiredMode = RequiredMode.REQUIRED)
            int width,
            @Schema(description = "Height in pixels.", minimum = "1", requiredMode = RequiredMode.REQUIRED)
            int height,
            @Schema(description = "Content-Type of the rendition.", example = "image/jpeg",
                    requiredMode = RequiredMode.REQUIRED) String contentType,
            @Schema(description = "Size in bytes.", minimum = "0", requiredMode = RequiredMode.REQUIRED)
            long bytes,
            @Schema(description = "The rendition spec that made it, without its name (`WIDTHxHEIGHT:mode:quality:"
                    + "format` and any operations). It differs from the current RENDITIONS entry when the job ran"
                    + " under an older profile; absent for jobs recorded before specs were kept. `scripts/backfill.sh`"
                    + " renders such jobs again.", example = "200x200:cover:85:jpeg:gravity=smart",
                    requiredMode = RequiredMode.NOT_REQUIRED) String spec,
            @Schema(description = "The bucket it is stored in (the thumbnails bucket).", example = "thumbnails",
                    requiredMode = RequiredMode.REQUIRED) String bucket,
            @Schema(description = "Its key there.", example = "renditions/thumb/images/uploads/My Cat.jpg",
                    requiredMode = RequiredMode.REQUIRED) String key,
            @Schema(description = "A presigned GET link to the rendition, valid until `urlExpires`"
                    + " (LINK_EXPIRY_SECONDS after this answer), signed for MINIO_PUBLIC_ENDPOINT.",
                    requiredMode = RequiredMode.REQUIRED) URI url,
            @Schema(description = "When the link stops working.", requiredMode = RequiredMode.REQUIRED)
            Instant urlExpires) {
    }

    /**
     * @param errorClass machine-readable class, e.g. {@code unsupported_format}; JSON name {@code class}
     * @param message    readable reason
     */
    @Schema(name = "JobError", description = "Why a job failed, or why its status is unknown.")
    public record ErrorView(
            @Schema(description = "Machine-readable class. `failed`: `unsupported_format`, `corrupt`,"
                    + " `too_large` (final), `delivery_failed`, `deadline_exceeded`, `key_conflict` (not final:"
                    + " the next delivery or a re-upload processes the job again). `unknown`: `storage_error`,"
                    + " `timeout`.", example = "unsupported_format", requiredMode = RequiredMode.REQUIRED)
            @JsonProperty("class") String errorClass,
            @Schema(description = "Readable reason.", requiredMode = RequiredMode.REQUIRED) String message) {
    }

    /**
     * How {@link SourceImage} (storage module, which knows nothing of OpenAPI) is described; {@code OpenApiTests}
     * fails if the two drift apart.
     *
     * @param format the format the engine admitted the source as
     * @param width  width in pixels as stored in the file
     * @param height height in pixels as stored in the file
     */
    @Schema(name = "SourceImage", description = "What the image engine found the source to be, as its header"
            + " says.")
    record SourceImageSchema(
            @Schema(description = "The format, lower case.", example = "jpeg", pattern = "^[a-z0-9]{1,10}$",
                    requiredMode = RequiredMode.REQUIRED) String format,
            @Schema(description = "Width in pixels (before any EXIF orientation).", minimum = "1",
                    maximum = "1048576", requiredMode = RequiredMode.REQUIRED) int width,
            @Schema(description = "Height in pixels.", minimum = "1", maximum = "1048576",
                    requiredMode = RequiredMode.REQUIRED) int height) {
    }
}
