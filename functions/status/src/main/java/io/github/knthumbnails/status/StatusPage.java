package io.github.knthumbnails.status;

import java.net.URI;
import java.util.List;

import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.StorageException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The page people open: {@code GET /} lists the jobs of an upload bucket as HTML (issue 12).
 *
 * <p>Query parameters are those of {@code GET /jobs} ({@code bucket}, {@code prefix}, {@code limit},
 * {@code cursor}), plus {@code follow} (repeatable, at most {@value #MAX_FOLLOWED}: keys in the bucket shown first,
 * under "Your uploads", whether or not they are on this page) and {@code fragment=jobs}, which answers only the part
 * of the page that changes, for the page's script to swap in. Jobs come in key order, the only order S3 lists in;
 * keys of uploads made from the page start with their UTC upload time, so they list oldest first.
 *
 * <p>The page works without JavaScript (filter, pagination, every job's state); the script only refreshes the list
 * in place and, where {@code BROWSER_UPLOADS} is on, uploads through {@code POST /uploads} ({@link Uploads}). Answers carry a Content-Security-Policy allowing scripts, styles and fetches from this origin
 * only, plus images from and uploads to the object storage endpoint links point at. A bad parameter is a
 * {@code 400} page saying what was wrong, unreachable storage a {@code 503} page.
 */
@Controller
@Tag(name = StatusOpenApi.TAG_PAGE)
class StatusPage {

    /** Most keys one request may follow. */
    static final int MAX_FOLLOWED = 10;
    /** How soon the page refreshes while a shown job is pending or processing, in milliseconds. */
    static final int ACTIVE_REFRESH_MS = 1500;
    /** How soon it refreshes otherwise, in milliseconds (new uploads by others appear this late). */
    static final int IDLE_REFRESH_MS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);

    private final StatusService service;
    private final StatusSettings settings;
    private final String contentSecurityPolicy;

    StatusPage(StatusService service, StatusSettings settings) {
        this.service = service;
        this.settings = settings;
        String storage = origin(settings.publicEndpoint());
        this.contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' "
                + storage + "; connect-src 'self' " + storage + "; form-action 'self'; base-uri 'none'; "
                + "frame-ancestors 'none'";
    }

    @Operation(operationId = "page", summary = "The page people open: an upload bucket's jobs as HTML",
            description = "The jobs of `GET /jobs` (same `bucket`, `prefix`, `limit` and `cursor`) with thumbnails,"
                    + " badges, reasons and stage timings, plus the uploads named by `follow` first. Works without"
                    + " JavaScript; its script refreshes the list in place (`fragment=jobs`) and uploads. Answers"
                    + " carry a Content-Security-Policy, `X-Content-Type-Options: nosniff`,"
                    + " `Referrer-Policy: no-referrer` and `Cache-Control: no-store`.",
            responses = {
                @ApiResponse(responseCode = "200", description = "The page, or with `fragment=jobs` only its list.",
                        content = @Content(mediaType = MediaType.TEXT_HTML_VALUE,
                                schema = @Schema(type = "string"))),
                @ApiResponse(responseCode = "400", description = "A page saying which parameter was wrong (those"
                        + " of `GET /jobs`, more than " + MAX_FOLLOWED + " `follow` keys, one that cannot be an"
                        + " object key, or another `fragment`).",
                        content = @Content(mediaType = MediaType.TEXT_HTML_VALUE,
                                schema = @Schema(type = "string"))),
                @ApiResponse(responseCode = "503", description = "A page saying object storage cannot be reached.",
                        content = @Content(mediaType = MediaType.TEXT_HTML_VALUE,
                                schema = @Schema(type = "string")))})
    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    String page(@Parameter(description = StatusOpenApi.BUCKET) @RequestParam(required = false) String bucket,
                @Parameter(description = StatusOpenApi.PREFIX) @RequestParam(required = false) String prefix,
                @Parameter(description = StatusOpenApi.LIMIT, schema = @Schema(type = "integer", minimum = "1",
                        defaultValue = "" + JobsQuery.DEFAULT_LIMIT))
                @RequestParam(required = false) String limit,
                @Parameter(description = StatusOpenApi.CURSOR) @RequestParam(required = false) String cursor,
                @Parameter(description = "Keys in the bucket to show first, under \"Your uploads\", whether or not"
                        + " they are on this page (repeat the parameter, at most " + MAX_FOLLOWED + "); keys"
                        + " that do not exist are left out.", array = @ArraySchema(maxItems = MAX_FOLLOWED,
                        schema = @Schema(type = "string")))
                @RequestParam(required = false) List<String> follow,
                @Parameter(description = "`jobs`: answer only the part of the page that changes, for the page's"
                        + " script to swap in.", schema = @Schema(type = "string", allowableValues = "jobs"))
                @RequestParam(required = false) String fragment, Model model, HttpServletResponse response) {
        secure(response);
        JobsQuery query = JobsQuery.of(settings, service.limits(), bucket, prefix, limit, cursor);
        boolean onlyJobs = fragment != null && !fragment.isBlank();
        if (onlyJobs && !"jobs".equals(fragment)) {
            throw new StatusController.BadRequest("fragment must be 'jobs', got '" + fragment + "'");
        }
        List<JobCard> followed = followed(query.bucket(), follow == null ? List.of() : follow);
        StatusService.Page page = service.jobs(query.bucket(), query.prefix(), query.startAfter(), query.limit());
        List<JobCard> jobs = page.jobs().stream().map(JobCard::of).toList();
        boolean active = followed.stream().anyMatch(JobCard::active) || jobs.stream().anyMatch(JobCard::active);
        model.addAttribute("buckets", settings.buckets().upload());
        model.addAttribute("query", query);
        model.addAttribute("firstPage", query.startAfter() == null);
        model.addAttribute("nextCursor", page.lastKey() == null ? null : JobsQuery.toCursor(page.lastKey()));
        model.addAttribute("jobs", jobs);
        model.addAttribute("followed", followed);
        model.addAttribute("refreshMs", active ? ACTIVE_REFRESH_MS : IDLE_REFRESH_MS);
        model.addAttribute("uploads", settings.uploads());
        model.addAttribute("uploadMaxSize", JobCard.bytes(settings.uploads().maxBytes()));
        return onlyJobs ? "index :: jobs" : "index";
    }

    private List<JobCard> followed(String bucket, List<String> keys) {
        if (keys.size() > MAX_FOLLOWED) {
            throw new StatusController.BadRequest("at most " + MAX_FOLLOWED + " follow keys, got " + keys.size());
        }
        List<String> distinct = keys.stream().distinct().toList();
        for (String key : distinct) {
            if (!Layout.isStorable(key)) {
                throw new StatusController.BadRequest("follow '" + key + "' cannot be an object key");
            }
        }
        return service.statuses(bucket, distinct).stream().map(JobCard::of).toList();
    }

    @ExceptionHandler(StatusController.BadRequest.class)
    String badRequest(StatusController.BadRequest e, Model model, HttpServletResponse response) {
        return error(HttpServletResponse.SC_BAD_REQUEST, e.getMessage(), model, response);
    }

    @ExceptionHandler(StorageException.class)
    String storageFailed(StorageException e, Model model, HttpServletResponse response) {
        log.warn("object storage failed: {}", e.getMessage());
        return error(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "object storage cannot be reached: "
                + e.getMessage(), model, response);
    }

    private String error(int status, String message, Model model, HttpServletResponse response) {
        secure(response);
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("message", message);
        return "error-page";
    }

    private void secure(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", contentSecurityPolicy);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** @return {@code scheme://host[:port]} of an endpoint, as CSP source expressions spell an origin */
    private static String origin(URI endpoint) {
        return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? ""
                : ":" + endpoint.getPort());
    }
}
