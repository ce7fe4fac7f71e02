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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
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
 * (retried by the sender). Errors are mapped by {@link Errors}; a body over {@code MAX_REQUEST_BYTES} is a
 * {@code 413} from the body limit filter before this controller runs.
 */
@RestController
@Tag(name = StatusOpenApi.TAG_DEAD_LETTER)
class DeadLetterController {

    /** The structured content mode's media type (CloudEvents JSON format). */
    static final String STRUCTURED = "application/cloudevents+json";

    private final DeadLetters deadLetters;
    private final Tracer tracer;
    private final Counter received;

    DeadLetterController(DeadLetters deadLetters, OpenTelemetry openTelemetry, MeterRegistry meters) {
        this.deadLetters = deadLetters;
        this.tracer = Telemetry.tracer(openTelemetry);
        this.received = Counter.builder("thumbnails.dead_letters").description("CloudEvents the Broker gave up"
                + " delivering to resize, recorded as delivery_failed").register(meters);
    }

    @Operation(operationId = "deadLetter", summary = "The dead-letter sink of the resize Trigger",
            description = "Takes one CloudEvent a Knative Broker gave up delivering to resize, in binary content"
                    + " mode (attributes in `ce-*` headers, the S3 record as the body) or structured mode"
                    + " (`Content-Type: " + STRUCTURED + "`, the whole event as the body), and records the"
                    + " job of the announced version `failed` with class `delivery_failed`. It does nothing"
                    + " (and still answers `202`) when that version already has a final record, is no longer the"
                    + " current one (a HEAD of the source decides), or the event is no content event of an upload"
                    + " bucket or names no ETag. Served only where STATUS_ROUTES is `dead-letter` or `all`: the"
                    + " public Service answers `404` and leaves this operation out of its description.",
            parameters = {
                @Parameter(name = "ce-specversion", in = ParameterIn.HEADER, description = "Binary mode: `1.0`.",
                        schema = @Schema(type = "string", allowableValues = "1.0")),
                @Parameter(name = "ce-id", in = ParameterIn.HEADER, description = "Binary mode: the event id.",
                        schema = @Schema(type = "string")),
                @Parameter(name = "ce-source", in = ParameterIn.HEADER, description = "Binary mode: the event"
                        + " source, e.g. `minio:s3..images`.", schema = @Schema(type = "string")),
                @Parameter(name = "ce-type", in = ParameterIn.HEADER, description = "Binary mode: an S3 event"
                        + " type, e.g. `com.amazonaws.s3.ObjectCreated:Put`.", schema = @Schema(type = "string")),
                @Parameter(name = "ce-subject", in = ParameterIn.HEADER, description = "Binary mode: the object"
                        + " key, percent-encoded as the CloudEvents HTTP binding says.",
                        schema = @Schema(type = "string")),
                @Parameter(name = "ce-" + DeadLetters.ERROR_CODE, in = ParameterIn.HEADER, description = "Added by"
                        + " Knative: the HTTP status of the last delivery attempt; goes into the recorded"
                        + " message.", schema = @Schema(type = "string")),
                @Parameter(name = "ce-" + DeadLetters.ERROR_DEST, in = ParameterIn.HEADER, description = "Added by"
                        + " Knative: the destination that failed.", schema = @Schema(type = "string")),
                @Parameter(name = "ce-" + DeadLetters.ERROR_DATA, in = ParameterIn.HEADER, description = "Added by"
                        + " Knative: base64 of the start of the last response body.",
                        schema = @Schema(type = "string"))},
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "The dead-lettered S3 CloudEvent (data: the single S3 event record).",
                    content = {
                        @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object",
                                description = "Binary mode: the event's data, the S3 event record"
                                        + " (`eventName`, `s3.bucket.name`, `s3.object.key`, `s3.object.eTag`,"
                                        + " ...).")),
                        @Content(mediaType = STRUCTURED, schema = @Schema(type = "object",
                                description = "Structured mode: the whole CloudEvent in the CloudEvents JSON"
                                        + " format; Knative's extension attributes sit beside the others.",
                                requiredProperties = {"specversion", "id", "source", "type", "data"}),
                                schemaProperties = {
                                    @SchemaProperty(name = "specversion", schema = @Schema(type = "string",
                                            allowableValues = "1.0")),
                                    @SchemaProperty(name = "id", schema = @Schema(type = "string")),
                                    @SchemaProperty(name = "source", schema = @Schema(type = "string")),
                                    @SchemaProperty(name = "type", schema = @Schema(type = "string")),
                                    @SchemaProperty(name = "subject", schema = @Schema(type = "string")),
                                    @SchemaProperty(name = "datacontenttype", schema = @Schema(type = "string")),
                                    @SchemaProperty(name = "data", schema = @Schema(type = "object",
                                            description = "The S3 event record."))})}),
            responses = {
                @ApiResponse(responseCode = "202", description = "Taken: recorded, or left alone as described"
                        + " above. An empty body and no `ce-*` header, so the answer is never read as a reply"
                        + " event."),
                @ApiResponse(responseCode = "400", description = "Not an S3 CloudEvent (no CloudEvent, an invalid"
                        + " attribute, no S3 record); a Broker does not retry it.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "413", description = "A body over MAX_REQUEST_BYTES (default 1 MiB),"
                        + " refused before it is read; not retried.",
                        content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class))),
                @ApiResponse(responseCode = "503", description = "Object storage cannot be reached; the Broker"
                        + " retries.", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                                schema = @Schema(implementation = ApiError.class)))})
    @PostMapping(DeadLetters.PATH)
    ResponseEntity<Void> deadLetter(HttpServletRequest request,
                                    @Parameter(hidden = true) @RequestBody(required = false) byte[] body) {
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
