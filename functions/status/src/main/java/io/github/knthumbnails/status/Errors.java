package io.github.knthumbnails.status;

import io.github.knthumbnails.events.MalformedEventException;
import io.github.knthumbnails.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps the failures every endpoint of the status function shares to JSON {@code {"error": "..."}}
 * ({@link ApiError}): {@code 400} for a request that is no S3 CloudEvent (a Broker does not retry it) and for a
 * {@link StatusController.BadRequest} (the page at {@code GET /} maps its own, to HTML), {@code 503}
 * when object storage cannot be reached (it does).
 */
@RestControllerAdvice
class Errors {

    private static final Logger log = LoggerFactory.getLogger(Errors.class);

    @ExceptionHandler(MalformedEventException.class)
    ResponseEntity<ApiError> malformed(MalformedEventException e) {
        log.warn("rejected a request: {}", e.getMessage());
        return ResponseEntity.badRequest().body(new ApiError(e.getMessage()));
    }

    @ExceptionHandler(StatusController.BadRequest.class)
    ResponseEntity<ApiError> badRequest(StatusController.BadRequest e) {
        return ResponseEntity.badRequest().body(new ApiError(e.getMessage()));
    }

    @ExceptionHandler(StorageException.class)
    ResponseEntity<ApiError> storage(StorageException e) {
        log.warn("object storage failed: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(new ApiError(e.getMessage()));
    }
}
