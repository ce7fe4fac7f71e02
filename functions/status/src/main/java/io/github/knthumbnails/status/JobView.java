package io.github.knthumbnails.status;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.knthumbnails.storage.SourceImage;

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
public record JobView(String bucket, String key, String etag, long size, String contentType, String status,
                      Instant uploaded, Instant started, Instant finished, List<RenditionView> renditions,
                      ErrorView error, String traceId, Map<String, Double> timingsMs, SourceImage source) {

    /**
     * @param name        rendition name
     * @param width       width in pixels
     * @param height      height in pixels
     * @param contentType e.g. {@code image/jpeg}
     * @param bytes       size in bytes
     * @param bucket      where it is stored
     * @param key         its key there
     * @param url         a presigned GET link, valid until {@code urlExpires}
     * @param urlExpires  when the link stops working
     */
    public record RenditionView(String name, int width, int height, String contentType, long bytes, String bucket,
                                String key, URI url, Instant urlExpires) {
    }

    /**
     * @param errorClass machine-readable class, e.g. {@code unsupported_format}; JSON name {@code class}
     * @param message    readable reason
     */
    public record ErrorView(@JsonProperty("class") String errorClass, String message) {
    }
}
