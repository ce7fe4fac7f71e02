package io.github.knthumbnails.status;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.storage.Layout;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
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
 * Errors are JSON {@code {"error": "..."}}; {@code 503} when object storage cannot be reached ({@link Errors}).
 */
@RestController
class StatusController {

    private static final String STATUS_PREFIX = "/status/";

    private final StatusService service;
    private final StatusSettings settings;

    StatusController(StatusService service, StatusSettings settings) {
        this.service = service;
        this.settings = settings;
    }

    @GetMapping({"/status", "/status/", "/status/**"})
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

    @GetMapping("/jobs")
    Map<String, Object> jobs(@RequestParam(required = false) String bucket,
                             @RequestParam(defaultValue = "") String prefix,
                             @RequestParam(required = false) String limit,
                             @RequestParam(required = false) String cursor) {
        JobsQuery query = JobsQuery.of(settings, service.limits(), bucket, prefix, limit, cursor);
        StatusService.Page page = service.jobs(query.bucket(), query.prefix(), query.startAfter(), query.limit());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("bucket", query.bucket());
        body.put("prefix", query.prefix());
        body.put("jobs", page.jobs());
        body.put("nextCursor", page.lastKey() == null ? null : JobsQuery.toCursor(page.lastKey()));
        return body;
    }

    private static String decode(String raw) {
        try {
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("the path is not valid percent-encoding: " + e.getMessage());
        }
    }

    private static ResponseEntity<Map<String, String>> notFound(String message) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", message));
    }

    @ExceptionHandler(BadRequest.class)
    ResponseEntity<Map<String, String>> badRequest(BadRequest e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    /** A request this API cannot answer as asked; the message says what was wrong. */
    static class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
