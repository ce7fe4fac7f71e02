package io.github.knthumbnails.resize;

import java.util.Map;
import java.util.function.Function;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.MalformedEventException;
import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.StorageException;
import io.github.knthumbnails.storage.StorageObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The resize function: a Spring Cloud Function named {@code resize}, served over HTTP at {@code POST /}.
 *
 * <p>It accepts a CloudEvent in binary or structured content mode (Knative senders may use either, knative/specs
 * {@code specs/eventing/data-plane.md}) and answers:
 * <ul>
 *   <li>{@code 200} with an empty body and no {@code ce-*} header — handled (succeeded, failed and recorded,
 *       ignored, or superseded). The function deliberately sends no reply event: job outcomes are read from object
 *       storage by the status function, and an empty 2xx can never loop back through the Broker;</li>
 *   <li>{@code 400} — not a CloudEvent, or not an S3 event with a record (the Broker does not retry 400);</li>
 *   <li>{@code 503} — object storage failed, or the pod ran out of memory; the Broker retries with backoff,
 *       then dead-letters.</li>
 * </ul>
 */
@SpringBootApplication
public class ResizeApplication {

    private static final Logger log = LoggerFactory.getLogger(ResizeApplication.class);

    /**
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(ResizeApplication.class, args);
    }

    @Bean
    ResizeSettings resizeSettings(Environment environment) {
        ResizeSettings settings = ResizeSettings.from(environment::getProperty);
        log.info("resize: {} -> {} at {}, renditions {}, image {}", settings.buckets().upload(),
                settings.buckets().thumbnails(), settings.s3().endpoint(), settings.renditions(), settings.image());
        return settings;
    }

    /** The image engine, as the seam {@link ResizeService} renders through (issue 8, finding 7). */
    @Bean
    Renderer renderer(ResizeSettings settings) {
        return new ImageEngine(settings.image())::render;
    }

    /** Every storage call gets a span and a timer ({@code storage} comes from the telemetry library). */
    @Bean
    ResizeService resizeService(ResizeSettings settings, Renderer renderer, StorageObserver storage) {
        return new ResizeService(settings, new ObjectStore(settings.s3(), storage), renderer);
    }

    @Bean
    JobTelemetry jobTelemetry(OpenTelemetry openTelemetry, MeterRegistry meters) {
        return new JobTelemetry(openTelemetry, meters);
    }

    /**
     * The function: HTTP message in (headers and body), empty message out; each event inside its {@code process}
     * span ({@link JobTelemetry}).
     *
     * @param service   does the work
     * @param telemetry spans and meters around it
     * @return the function Spring Cloud Function exposes at {@code POST /} and {@code POST /resize}
     */
    @Bean
    Function<Message<byte[]>, Message<byte[]>> resize(ResizeService service, JobTelemetry telemetry) {
        return message -> {
            CloudEvent event;
            try {
                event = toCloudEvent(message);
            } catch (MalformedEventException e) {
                telemetry.rejected();
                throw e;
            }
            telemetry.process(event, () -> service.handle(event));
            return MessageBuilder.withPayload(new byte[0]).build();
        };
    }

    @Bean
    NoCloudEventHeadersInResponseFilter noCloudEventHeadersInResponseFilter() {
        return new NoCloudEventHeadersInResponseFilter();
    }

    /**
     * Spring Cloud Function hands over the HTTP headers as message headers, but moves {@code Content-Type} to its
     * own {@code contentType} header; the CloudEvents binding needs it back to tell structured from binary mode.
     */
    static CloudEvent toCloudEvent(Message<byte[]> message) {
        MessageHeaders headers = message.getHeaders();
        return CloudEventHttp.read(consumer -> {
            boolean sawContentType = false;
            for (Map.Entry<String, Object> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase("content-type")) {
                    sawContentType = true;
                }
                if (header.getValue() instanceof String value && !header.getKey().equals(MessageHeaders.CONTENT_TYPE)) {
                    consumer.accept(header.getKey(), value);
                }
            }
            Object contentType = headers.get(MessageHeaders.CONTENT_TYPE);
            if (!sawContentType && contentType != null) {
                consumer.accept("Content-Type", contentType.toString());
            }
        }, message.getPayload());
    }

    /** Maps failures to the status codes the Broker's retry policy understands. */
    @RestControllerAdvice
    static class Errors {

        @ExceptionHandler(MalformedEventException.class)
        ResponseEntity<Map<String, String>> malformed(MalformedEventException e) {
            log.warn("rejected a request: {}", e.getMessage());
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }

        @ExceptionHandler(StorageException.class)
        ResponseEntity<Map<String, String>> storage(StorageException e) {
            log.warn("object storage failed, the event will be retried: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
        }

        /**
         * Out of memory is transient — the next attempt may land on a quieter pod — and never a verdict about the
         * image: only admission decides {@code too_large} (issue 8, finding 7). The job's {@code processing}
         * record is not final, so the redelivery processes it again.
         */
        @ExceptionHandler(OutOfMemoryError.class)
        ResponseEntity<Map<String, String>> outOfMemory(OutOfMemoryError e) {
            log.error("out of memory while handling an event, it will be retried: {}", e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(Map.of("error", "out of memory; retry later"));
        }
    }
}
