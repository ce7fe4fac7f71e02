package io.github.knthumbnails.local.broker;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * The event a dead-letter sink receives: the original event plus the extensions Knative's dispatcher adds
 * (knative/eventing {@code pkg/kncloudevents/event_dispatcher.go} {@code dispatchExecutionInfoTransformers},
 * {@code pkg/kncloudevents/attributes/knative_error.go}):
 * <ul>
 *   <li>{@value #DEST}: the subscriber URL that failed;</li>
 *   <li>{@value #CODE}: the last HTTP status; {@code 500} when the last attempt got no response at all, which is
 *       what Knative's {@code executeRequest} records for a network error or timeout;</li>
 *   <li>{@value #DATA}: base64 (standard alphabet, padded) of the last response body — for no response,
 *       {@code "dispatch error: <what went wrong>"} as in Knative — cut to {@value #MAX_DATA_CHARS} characters.</li>
 * </ul>
 * The status function's {@code POST /dead-letter} reads these three into the job's {@code delivery_failed}
 * message (functions/status {@code DeadLetters}).
 */
final class DeadLetter {

    /** Extension: the destination that failed. */
    static final String DEST = "knativeerrordest";
    /** Extension: the last HTTP status. */
    static final String CODE = "knativeerrorcode";
    /** Extension: base64 of (the start of) the last response body. */
    static final String DATA = "knativeerrordata";
    /** Knative's {@code KnativeErrorDataExtensionMaxLength}: 1024 characters of base64. */
    static final int MAX_DATA_CHARS = 1024;

    private DeadLetter() {
    }

    /**
     * @param event      the event that could not be delivered
     * @param subscriber where it was sent
     * @param last       the last attempt's outcome
     * @return the event with {@value #DEST}, {@value #CODE} and {@value #DATA} set
     */
    static CloudEvent of(CloudEvent event, URI subscriber, Sender.Outcome last) {
        byte[] body = last.status() < 0
                ? ("dispatch error: " + new String(last.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)
                : last.body();
        // 1024 base64 characters encode exactly 768 bytes: cutting the input keeps the output valid base64.
        byte[] kept = Arrays.copyOf(body, Math.min(body.length, MAX_DATA_CHARS / 4 * 3));
        return CloudEventBuilder.v1(event)
                .withExtension(DEST, subscriber)
                .withExtension(CODE, last.status() < 0 ? 500 : last.status())
                .withExtension(DATA, Base64.getEncoder().encodeToString(kept))
                .build();
    }
}
