package io.github.knthumbnails.status;

import java.nio.charset.StandardCharsets;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.storage.Layout;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * The status function's HTTP API.
 *
 * <ul>
 *   <li>{@code GET /status/{bucket}/{key}} — the job of the object's current version ({@link JobView}). The key
 *       is everything after the bucket, percent-decoded once as a URI path (RFC 3986 §2.1: {@code %20} is a
 *       space, {@code +} stays a plus), so it may contain {@code /} (literal or {@code %2F}), spaces and
 *       non-ASCII. {@code 404} when the object does not exist or the bucket is not watched; {@code 400} for a
 *       malformed path.</li>
 *   <li>{@code GET /jobs?bucket=&prefix=&limit=&cursor=} — a page of jobs in key order:
 *       {@code {"bucket", "prefix", "jobs": [...], "nextCursor"}}. {@code bucket} defaults to the first upload
 *       bucket, {@code limit} to 20 (1 to {@code JOBS_MAX_LIMIT}, default 100); pass {@code nextCursor} back as
 *       {@code cursor} for the next page. The page's job-record HEADs are bounded in concurrency and time
 *       ({@link StatusService.Limits}, issue 8, finding 9).</li>
 * </ul>
 * One upload whose job record cannot be read (or not in time) does not fail the answer: it comes back with
 * status {@code unknown} and an {@code error} ({@code storage_error} or {@code timeout}), the answer is still
 * 200 (issue 8, finding 4).
 * Errors are JSON {@code {"error": "..."}} ({@link ApiError}); {@code 503} when object storage cannot be reached
 * ({@link Errors}). The OpenAPI description at {@code /v3/api-docs} comes from the annotations here
 * ({@link StatusOpenApi}).
 */
@RestController
@Tag(name = StatusOpenApi.TAG_STATUS)
class StatusController {

    private static final String STATUS_PREFIX = "/status/";

    private final StatusService service;
    private final StatusSettings settings;

    StatusController(StatusService service, StatusSettings settings) {
        this.service = service;
        this.settings = settings;
    }

    /*
     * GET /status/{bucket}/{key}. The mapping's {bucket} and {*key} only route the request (and give the OpenAPI
     * description its path, which springdoc spells /status/{bucket}/{key}); the values are read from the raw URI
     * by status(request), decoded exactly once, as the key may hold "%2F". Paths this pattern does not match
     * (/status, /status/, /status//key) reach the hidden malformed() below, which answers them the same way.
     */
    @Operation(operationId = "getStatus", summary = "The job of one upload",
            description = "What happened to the object's **current** version: `pending` until the resize"
                    + " function records something for its ETag, then `processing`, `succeeded` (with rendition"
                    + " links) or `failed` (with the reason). An outcome recorded for an older upload of the same"
                    + " key never counts. When the upload exists but its job record cannot be read the answer is"
                    + " still `200`, with status `unknown` and an `error`.",
            parameters = {
                @Parameter(name = "bucket", in = ParameterIn.PATH, required = true,
                        description = "An upload bucket (UPLOAD_BUCKETS). Another valid bucket name is a `404`,"
                                + " an invalid one a `400`.", schema = @Schema(type = "string"),
                        example = "images"),
                @Parameter(name = "key", in = ParameterIn.PATH, required = true,
                        description = "The object key: everything after the bucket, percent-decoded exactly"
                                + " once as a URI path (RFC 3986: `%20` is a space, `+` stays a plus). It may"
                                + " contain `/`, either literally (`/status/images/uploads/cat.jpg`) or encoded"
                                + " as `%2F` (`/status/images/uploads%2Fcat.jpg`, what a client that encodes"
                                + " the whole key as one path segment sends); both name `uploads/cat.jpg`."
                                + " `%252F` is a literal `%2F` in the key. At most 1024 bytes of UTF-8, no `.`"
                                + " or `..` segment, else `400`.",
                        schema = @Schema(type = "string"), example = "uploads/My Cat é.jpg")},
            responses = {
                @ApiResponse(responseCode = "200", description = "The job of the object's current version.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = JobView.class))),
                @ApiResponse(responseCode = "400", description = "A malformed path: no bucket or key, an"
                        + " invalid bucket name, bad percent-encoding, or a key MinIO cannot store.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "404", description = "The object does not exist, or the bucket is"
                        + " not an upload bucket.", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "503", description = "Object storage cannot be reached; ask again.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class)))})
    @GetMapping("/status/{bucket}/{*key}")
    ResponseEntity<?> status(HttpServletRequest request) {
        // Decode the raw URI exactly once ourselves: "%2F" becomes part of the key, "%2520" stays a literal "%20".
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        String rest = raw.length() > STATUS_PREFIX.length() ? raw.substring(STATUS_PREFIX.length()) : "";
        int slash = rest.indexOf('/');
        String bucket = decode(slash < 0 ? rest : rest.substring(0, slash));
        String key = slash < 0 ? "" : decode(rest.substring(slash + 1));
        if (bucket.isEmpty() || key.isEmpty()) {
            throw new BadRequest("expected /status/{bucket}/{key}, e.g. /status/images/uploads/cat.jpg");
        }
        if (!Buckets.isValidName(bucket)) {
            throw new BadRequest("'" + bucket + "' is not a valid bucket name");
        }
        if (!Layout.isStorable(key)) {
            throw new BadRequest("'" + key + "' cannot be an object key: it is longer than " + Layout.MAX_KEY_BYTES
                    + " bytes or has a '.' or '..' segment");
        }
        if (!settings.buckets().isUpload(bucket)) {
            return notFound("bucket '" + bucket + "' is not watched; upload buckets are " + settings.buckets().upload());
        }
        return service.status(bucket, key).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> notFound("no object " + bucket + "/" + key));
    }

    /** {@code /status}, {@code /status/} and {@code /status//...}: always a {@code 400}, so left out of the docs. */
    @Hidden
    @GetMapping({"/status", "/status/", "/status/**"})
    ResponseEntity<?> malformed(HttpServletRequest request) {
        return status(request);
    }

    @Operation(operationId = "listJobs", summary = "A page of jobs",
            description = "The jobs of the current version of each object under a prefix of an upload bucket,"
                    + " in key order (the only order S3 lists in). Pass `nextCursor` back as `cursor`, with the"
                    + " same bucket and prefix, until it is `null`. The page's job-record reads are bounded:"
                    + " JOBS_CONCURRENCY at a time per process, within JOBS_TIME_BUDGET_MS per request; an item"
                    + " not read in time, or whose record cannot be read, comes back `unknown` with its `error`,"
                    + " and the page still answers `200`.",
            responses = {
                @ApiResponse(responseCode = "200", description = "One page of jobs.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = JobsPage.class))),
                @ApiResponse(responseCode = "400", description = "A bad parameter: a bucket that is not an upload"
                        + " bucket, a limit out of range or not a whole number, a cursor this API did not make or"
                        + " that belongs to another prefix.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "503", description = "Object storage cannot be reached (or the"
                        + " bucket does not exist in it); ask again.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class)))})
    @GetMapping("/jobs")
    JobsPage jobs(@Parameter(description = StatusOpenApi.BUCKET) @RequestParam(required = false) String bucket,
                  @Parameter(description = StatusOpenApi.PREFIX) @RequestParam(defaultValue = "") String prefix,
                  @Parameter(description = StatusOpenApi.LIMIT, schema = @Schema(type = "integer", minimum = "1",
                          defaultValue = "" + JobsQuery.DEFAULT_LIMIT))
                  @RequestParam(required = false) String limit,
                  @Parameter(description = StatusOpenApi.CURSOR) @RequestParam(required = false) String cursor) {
        JobsQuery query = JobsQuery.of(settings, service.limits(), bucket, prefix, limit, cursor);
        StatusService.Page page = service.jobs(query.bucket(), query.prefix(), query.startAfter(), query.limit());
        return new JobsPage(query.bucket(), query.prefix(), page.jobs(),
                page.lastKey() == null ? null : JobsQuery.toCursor(page.lastKey()));
    }

    private static String decode(String raw) {
        try {
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the path is not valid percent-encoding: " + e.getMessage());
        }
    }

    private static ResponseEntity<ApiError> notFound(String message) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new ApiError(message));
    }

    /** A request this API cannot answer as asked; the message says what was wrong. */
    static class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
