package io.github.knthumbnails.local.broker;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Trigger's {@code spec.delivery} (knative/eventing {@code pkg/apis/duck/v1/delivery_types.go}) and the retry
 * rules Knative's dispatcher applies with it ({@code pkg/kncloudevents/retries.go},
 * {@code event_dispatcher.go}).
 *
 * @param retry          retries after the first attempt, {@code >= 0} (absent: 0)
 * @param backoffPolicy  how the wait grows, {@code null} when absent
 * @param backoffDelay   the base wait, {@code null} when absent
 * @param timeout        the limit of one attempt, {@code null} when absent (no limit, as Knative)
 * @param deadLetterSink where an event goes once delivery has failed for good, {@code null} when absent
 */
record DeliverySpec(int retry, BackoffPolicy backoffPolicy, Duration backoffDelay, Duration timeout,
                    URI deadLetterSink) {

    /** {@code spec.delivery.backoffPolicy}. */
    enum BackoffPolicy {
        /** {@code backoffDelay · 2^k}. */
        EXPONENTIAL,
        /** {@code backoffDelay · k}. */
        LINEAR
    }

    private static final Set<String> FIELDS = Set.of("retry", "backoffPolicy", "backoffDelay", "timeout",
            "deadLetterSink");

    /**
     * The wait before the {@code n}-th retry ({@code n} from 1). Knative's {@code RetryConfigFromDeliverySpec}
     * computes {@code delay·2^k} (exponential) or {@code delay·k} (linear), and its HTTP client
     * (hashicorp/go-retryablehttp {@code Client.Do}, vendored v0.7.7) passes {@code k = n - 1}: the first retry of
     * an exponential policy waits {@code backoffDelay}, the fifth 16 times that (PT2S: 2, 4, 8, 16, 32 s); a
     * linear policy retries the first time at once. Without both a policy and a delay, retries do not wait.
     *
     * @param n the retry number, {@code 1..retry}
     * @return the wait
     */
    Duration backoff(int n) {
        if (backoffPolicy == null || backoffDelay == null) {
            return Duration.ZERO;
        }
        long k = n - 1L;
        return switch (backoffPolicy) {
            case EXPONENTIAL -> backoffDelay.multipliedBy(1L << Math.min(k, 40));
            case LINEAR -> backoffDelay.multipliedBy(k);
        };
    }

    /**
     * Whether an attempt's answer is retried: Knative's {@code SelectiveRetry} — no response (network error,
     * timeout), any status {@code >= 500}, 404, 408, 409 and 429. Every other status that is not 2xx fails at once.
     *
     * @param status the HTTP status, or {@code -1} when there was no response
     * @return {@code true} if it is retried
     */
    static boolean retryable(int status) {
        return status < 0 || status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }

    /**
     * Reads {@code spec.delivery}.
     *
     * @param delivery the YAML node, possibly missing (no retries, no dead-letter sink)
     * @param where    its path in the file, for errors
     * @param resolve  resolves a {@code deadLetterSink} Destination node to a URL
     * @return the spec
     * @throws IllegalArgumentException naming the field: an unsupported one ({@code retryAfterMax},
     *                                  {@code format}, anything unknown), a negative retry, an unknown policy, a
     *                                  duration that is not ISO-8601 or not positive
     */
    static DeliverySpec parse(JsonNode delivery, String where, Function<JsonNode, URI> resolve) {
        if (delivery == null || delivery.isMissingNode() || delivery.isNull()) {
            return new DeliverySpec(0, null, null, null, null);
        }
        for (Iterator<String> it = delivery.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + "." + field + " is not supported by the local Broker"
                        + " (it reads " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        }
        JsonNode retryNode = delivery.path("retry");
        if (!retryNode.isMissingNode() && !(retryNode.canConvertToInt() && retryNode.asInt() >= 0)) {
            throw new IllegalArgumentException(where + ".retry must be a whole number >= 0, was " + retryNode);
        }
        BackoffPolicy policy = null;
        if (delivery.hasNonNull("backoffPolicy")) {
            String name = delivery.get("backoffPolicy").asText();
            try {
                policy = BackoffPolicy.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".backoffPolicy must be exponential or linear, was '"
                        + name + "'", e);
            }
        }
        JsonNode sink = delivery.path("deadLetterSink");
        return new DeliverySpec(retryNode.asInt(0), policy, duration(delivery, "backoffDelay", where),
                duration(delivery, "timeout", where), sink.isMissingNode() ? null : resolve.apply(sink));
    }

    private static Duration duration(JsonNode delivery, String field, String where) {
        if (!delivery.hasNonNull(field)) {
            return null;
        }
        String text = delivery.get(field).asText();
        Duration duration;
        try {
            duration = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + field + " must be an ISO-8601 duration such as PT2S,"
                    + " was '" + text + "'", e);
        }
        if (duration.isNegative() || duration.isZero() && field.equals("timeout")) {
            throw new IllegalArgumentException(where + "." + field + " must be positive, was " + text);
        }
        return duration;
    }
}
