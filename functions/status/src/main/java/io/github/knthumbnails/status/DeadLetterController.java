package io.github.knthumbnails.status;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;

import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.MalformedEventException;
import io.github.knthumbnails.storage.StorageException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /dead-letter}: the dead-letter sink of the resize Trigger (see {@link DeadLetters}).
 *
 * <p>Accepts one CloudEvent in binary or structured content mode (knative/specs
 * {@code specs/eventing/data-plane.md}: receivers must accept both) and answers {@code 202} with an empty body
 * and no {@code ce-*} header, so the answer can never be read as a reply event; {@code 400} with a JSON
 * {@code {"error"}} when the request is no S3 CloudEvent (not retried); {@code 503} when object storage fails
 * (retried by the sender).
 */
@RestController
class DeadLetterController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @PostMapping("/dead-letter")
    ResponseEntity<Void> deadLetter(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        var event = CloudEventHttp.read(consumer -> Collections.list(request.getHeaderNames())
                .forEach(name -> Collections.list(request.getHeaders(name))
                        .forEach(value -> consumer.accept(name, value))), body == null ? new byte[0] : body);
        deadLetters.record(event, Instant.now());
        return ResponseEntity.accepted().build();
    }

    @ExceptionHandler(MalformedEventException.class)
    ResponseEntity<Map<String, String>> malformed(MalformedEventException e) {
        log.warn("rejected a dead letter: {}", e.getMessage());
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(StorageException.class)
    ResponseEntity<Map<String, String>> storage(StorageException e) {
        log.warn("object storage failed while recording a dead letter: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
    }
}
