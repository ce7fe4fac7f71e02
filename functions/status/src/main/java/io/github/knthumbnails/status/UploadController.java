package io.github.knthumbnails.status;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /uploads}: a signed form for uploading one image from the browser straight to object storage
 * (issue 12; {@link Uploads}). Part of the public API ({@link StatusRoutes#PUBLIC}).
 *
 * <ul>
 *   <li>Request: {@code Content-Type: application/json}, body {@code {"filename": "cat.jpg", "contentType":
 *       "image/jpeg", "bucket": "images"}} ({@link UploadRequest}; {@code bucket} optional, default the first
 *       upload bucket).</li>
 *   <li>{@code 200}: {@code {"bucket", "key", "url", "fields", "maxBytes", "expires", "status"}}
 *       ({@link UploadPolicy}).</li>
 *   <li>{@code 400} for a body that is not such a JSON object, a missing {@code filename} or {@code contentType},
 *       a type that is not {@code image/<subtype>}, or a bucket that is not an upload bucket; {@code 403} when
 *       {@value UploadSettings#BROWSER_UPLOADS} is not {@code true}; {@code 415} for a body that is not
 *       {@code application/json}; {@code 413} above {@code MAX_REQUEST_BYTES}. Errors are JSON
 *       {@code {"error": "..."}} ({@link ApiError}, {@link Errors}).</li>
 * </ul>
 */
@RestController
@Tag(name = StatusOpenApi.TAG_UPLOADS)
class UploadController {

    /** The route. */
    static final String PATH = "/uploads";
    static final String TURNED_OFF = "uploads from the browser are turned off on this deployment ("
            + UploadSettings.BROWSER_UPLOADS + "=false)";

    private final Uploads uploads;

    UploadController(Uploads uploads) {
        this.uploads = uploads;
    }

    @Operation(operationId = "createUpload", summary = "A signed form for uploading one image from the browser",
            description = "Hands out a SigV4 POST policy for exactly one new key, chosen by the server under"
                    + " UPLOADS_PREFIX, for the declared image type and 1 to MAX_IMAGE_BYTES bytes, valid for"
                    + " UPLOADS_EXPIRY_SECONDS. POST `multipart/form-data` to `url` with every entry of `fields`, in"
                    + " order, then the file as the part named `file`; storage answers `204` and the pipeline takes"
                    + " the upload from there. Nothing is written by this request. Off (`403`) unless"
                    + " BROWSER_UPLOADS=true.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = UploadRequest.class))),
            responses = {
                @ApiResponse(responseCode = "200", description = "The signed form.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = UploadPolicy.class))),
                @ApiResponse(responseCode = "400", description = "No JSON object, a member of the wrong type, a"
                        + " missing `filename` or `contentType`, a type that is not `image/<subtype>` (or is"
                        + " `image/svg+xml`), or a bucket that is not an upload bucket.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "403", description = "Browser uploads are turned off on this"
                        + " deployment (BROWSER_UPLOADS is not `true`).",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "413", description = "A body over MAX_REQUEST_BYTES.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "415", description = "A body that is not `application/json`.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class)))})
    @PostMapping(PATH)
    ResponseEntity<?> upload(@Parameter(hidden = true) @RequestHeader(value = "Content-Type", required = false)
                             String contentType,
                             @Parameter(hidden = true) @RequestBody(required = false) byte[] body) {
        if (!uploads.settings().enabled()) {
            return error(HttpStatus.FORBIDDEN, TURNED_OFF);
        }
        if (!isJson(contentType)) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "expected Content-Type: application/json, got "
                    + (contentType == null ? "none" : "'" + contentType + "'"));
        }
        return ResponseEntity.ok(uploads.policy(UploadRequest.parse(body)));
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = contentType == null ? null : MediaType.parseMediaType(contentType);
            return type != null && type.getType().equals("application") && type.getSubtype().equals("json");
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static ResponseEntity<ApiError> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(new ApiError(message));
    }
}
