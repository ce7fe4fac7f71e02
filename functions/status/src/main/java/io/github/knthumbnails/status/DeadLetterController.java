package io.github.knthumbnails.status;

import java.time.Instant;
import java.util.Collections;

import io.github.knthumbnails.events.CloudEventHttp;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
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
 * (retried by the sender). Errors are mapped by {@link Errors}.
 */
@RestController
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @PostMapping(DeadLetters.PATH)
    ResponseEntity<Void> deadLetter(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        var event = CloudEventHttp.read(consumer -> Collections.list(request.getHeaderNames())
                .forEach(name -> Collections.list(request.getHeaders(name))
                        .forEach(value -> consumer.accept(name, value))), body == null ? new byte[0] : body);
        deadLetters.record(event, Instant.now());
        return ResponseEntity.accepted().build();
    }
}
