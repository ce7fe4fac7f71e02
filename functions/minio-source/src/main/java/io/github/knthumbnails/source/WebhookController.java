package io.github.knthumbnails.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.MalformedEventException;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventNames;
import io.github.knthumbnails.events.S3EventRecord;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * MinIO's webhook target: {@code POST /} with a notification body, {@code HEAD /} as its liveness probe.
 *
 * <p>Answers (MinIO retries every non-2xx from its {@code queue_dir}, minio/minio {@code internal/store/store.go},
 * so a record it should not retry must get a 2xx):
 * <ul>
 *   <li>{@code 200} after the sink accepted every forwarded record; records of other buckets and event names
 *       that are not a known {@code ObjectCreated:*}/{@code ObjectRemoved:*} are acknowledged, not forwarded;
 *       an empty body (MinIO's registration probe) is acknowledged;</li>
 *   <li>{@code 400} for a body that is not a MinIO notification;</li>
 *   <li>{@code 401} when {@code WEBHOOK_AUTH_TOKEN} is set and the request does not carry it — answered by
 *       {@link WebhookAuthFilter} before the body is read;</li>
 *   <li>{@code 413} for a body over {@code MAX_REQUEST_BYTES} ({@link SourceFilters});</li>
 *   <li>{@code 502} when the sink refused or could not be reached — MinIO will try again.</li>
 * </ul>
 */
@RestController
class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final SourceSettings settings;
    private final SinkClient sink;
    private final MeterRegistry meters;

    WebhookController(SourceSettings settings, SinkClient sink, MeterRegistry meters) {
        this.settings = settings;
        this.sink = sink;
        this.meters = meters;
    }

    /**
     * Counts records: {@code thumbnails.source.events} with {@code outcome} forwarded, ignored, rejected or
     * undelivered and {@code reason} none, bucket, event_name, malformed or sink (issue 11).
     */
    private void count(String outcome, String reason, int records) {
        meters.counter("thumbnails.source.events", "outcome", outcome, "reason", reason).increment(records);
    }

    @RequestMapping(path = "/", method = RequestMethod.HEAD)
    ResponseEntity<Void> probe() {
        return ResponseEntity.ok().build();
    }

    @RequestMapping(path = "/", method = RequestMethod.POST)
    ResponseEntity<Map<String, Object>> notification(@RequestBody(required = false) byte[] body) {
        // Map every record before sending any, so a malformed body is refused as a whole.
        List<S3EventRecord> records;
        List<CloudEvent> events = new ArrayList<>();
        try {
            records = S3EventRecord.parseWebhookBody(body);
            for (S3EventRecord record : records) {
                if (settings.buckets().isUpload(record.bucket())
                        && S3EventNames.isObjectCreatedOrRemoved(record.eventName())) {
                    events.add(S3CloudEvents.toCloudEvent(record, settings.overrides()));
                } else {
                    count("ignored", settings.buckets().isUpload(record.bucket()) ? "event_name" : "bucket", 1);
                    log.info("ignored {} for {}/{}: not a watched bucket or not an object created/removed event",
                            record.eventName(), record.bucket(), record.key());
                }
            }
        } catch (MalformedEventException e) {
            count("rejected", "malformed", 1);
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
        for (int i = 0; i < events.size(); i++) {
            CloudEvent event = events.get(i);
            try {
                sink.send(event);
            } catch (SinkClient.SinkException e) {
                count("undelivered", "sink", events.size() - i);
                log.warn("{} for {} not delivered, MinIO will retry: {}", event.getType(), event.getSubject(),
                        e.getMessage());
                return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(Map.of("error", e.getMessage()));
            }
            count("forwarded", "none", 1);
            log.info("forwarded {} for {} as {}", event.getType(), event.getSubject(), event.getId());
        }
        int forwarded = events.size();
        return ResponseEntity.ok(Map.of("forwarded", forwarded, "ignored", records.size() - forwarded));
    }
}
