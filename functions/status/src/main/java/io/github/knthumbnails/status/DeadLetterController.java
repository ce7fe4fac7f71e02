package io.github.knthumbnails.status;

import java.time.Instant;
import java.util.Collections;

import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.telemetry.CloudEventTracing;
import io.github.knthumbnails.telemetry.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
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
    private final Tracer tracer;
    private final Counter received;

    DeadLetterController(DeadLetters deadLetters, OpenTelemetry openTelemetry, MeterRegistry meters) {
        this.deadLetters = deadLetters;
        this.tracer = Telemetry.tracer(openTelemetry);
        this.received = Counter.builder("thumbnails.dead_letters").description("CloudEvents the Broker gave up"
                + " delivering to resize, recorded as delivery_failed").register(meters);
    }

    @PostMapping(DeadLetters.PATH)
    ResponseEntity<Void> deadLetter(HttpServletRequest request, @RequestBody(required = false) byte[] body) {
        var event = CloudEventHttp.read(consumer -> Collections.list(request.getHeaderNames())
                .forEach(name -> Collections.list(request.getHeaders(name))
                        .forEach(value -> consumer.accept(name, value))), body == null ? new byte[0] : body);
        Span span = CloudEventTracing.process(tracer, event).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            deadLetters.record(event, Instant.now());
            received.increment();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
        return ResponseEntity.accepted().build();
    }
}
