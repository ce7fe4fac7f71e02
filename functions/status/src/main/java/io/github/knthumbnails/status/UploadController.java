package io.github.knthumbnails.status;

import java.util.Map;

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
 *       {@code {"error": "..."}} ({@link Errors}).</li>
 * </ul>
 */
@RestController
class UploadController {

    /** The route. */
    static final String PATH = "/uploads";
    static final String TURNED_OFF = "uploads from the browser are turned off on this deployment ("
            + UploadSettings.BROWSER_UPLOADS + "=false)";

    private final Uploads uploads;

    UploadController(Uploads uploads) {
        this.uploads = uploads;
    }

    @PostMapping(PATH)
    ResponseEntity<?> upload(@RequestHeader(value = "Content-Type", required = false) String contentType,
                             @RequestBody(required = false) byte[] body) {
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

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("error", message));
    }
}
