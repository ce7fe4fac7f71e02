package io.github.knthumbnails.local.broker;

import static io.github.knthumbnails.local.broker.BrokerFixtures.realTrigger;
import static io.github.knthumbnails.local.broker.BrokerFixtures.s3Event;
import static io.github.knthumbnails.local.broker.BrokerFixtures.triggerCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real eventing/trigger-resize.yaml read and evaluated as Knative would. */
class TriggerSpecTest {

    static final Map<String, URI> SERVICES = Map.of(
            "resize", URI.create("http://127.0.0.1:8081"),
            "status-dead-letter", URI.create("http://127.0.0.1:8082/"));

    @TempDir
    Path dir;

    @Test
    void theRealTriggerResolvesItsSubscriberAndDeadLetterSinkThroughTheServiceMap() throws Exception {
        TriggerSpec trigger = TriggerSpec.read(realTrigger(), SERVICES);

        assertThat(trigger.name()).isEqualTo("resize-on-upload");
        assertThat(trigger.subscriber()).isEqualTo(URI.create("http://127.0.0.1:8081/"));
        DeliverySpec delivery = trigger.delivery();
        assertThat(delivery.retry()).isEqualTo(5);
        assertThat(delivery.backoffPolicy()).isEqualTo(DeliverySpec.BackoffPolicy.EXPONENTIAL);
        assertThat(delivery.backoffDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(delivery.timeout()).isEqualTo(Duration.ofSeconds(60));
        // deadLetterSink.uri "/dead-letter" resolved against the ref's URL.
        assertThat(delivery.deadLetterSink()).isEqualTo(URI.create("http://127.0.0.1:8082/dead-letter"));
    }

    @Test
    void theRealTriggerPassesContentAndRemovalEventsOfTheImagesBucketOnly() throws Exception {
        EventFilter filter = TriggerSpec.read(realTrigger(), SERVICES).filter();

        assertThat(filter.passes(s3Event("ObjectCreated:Put", "us-east-1", "images", "cat.jpg"))).isTrue();
        assertThat(filter.passes(s3Event("ObjectCreated:CompleteMultipartUpload", "", "images", "a/b.jpg"))).isTrue();
        assertThat(filter.passes(s3Event("ObjectRemoved:Delete", "us-east-1", "images", "cat.jpg"))).isTrue();
        // MinIO's `--event put` also emits these; they carry no new bytes.
        assertThat(filter.passes(s3Event("ObjectCreated:PutTagging", "us-east-1", "images", "cat.jpg"))).isFalse();
        assertThat(filter.passes(s3Event("ObjectCreated:PutRetention", "us-east-1", "images", "cat.jpg"))).isFalse();
        // Another bucket: the source's suffix is ".other", and "myimages" must not pass as ".images" either.
        assertThat(filter.passes(s3Event("ObjectCreated:Put", "us-east-1", "other", "cat.jpg"))).isFalse();
        assertThat(filter.passes(s3Event("ObjectCreated:Put", "us-east-1", "myimages", "cat.jpg"))).isFalse();
    }

    @Test
    void exponentialBackoffWaitsTheDelayBeforeTheFirstRetryAndDoublesAsKnativesDispatcherDoes() throws Exception {
        DeliverySpec delivery = TriggerSpec.read(realTrigger(), SERVICES).delivery();

        assertThat(IntStream.rangeClosed(1, delivery.retry()).mapToObj(delivery::backoff).toList())
                .containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                        Duration.ofSeconds(16), Duration.ofSeconds(32));
    }

    @Test
    void linearBackoffRetriesFirstAtOnceThenGrowsByTheDelay() throws Exception {
        DeliverySpec delivery = TriggerSpec.read(triggerCopy(dir, "backoffPolicy: exponential",
                "backoffPolicy: linear", "backoffDelay: PT2S", "backoffDelay: PT0.5S"), SERVICES).delivery();

        assertThat(List.of(delivery.backoff(1), delivery.backoff(2), delivery.backoff(3)))
                .containsExactly(Duration.ZERO, Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void knativesRetryableStatusesAreRetriedAndNoOthers() {
        assertThat(List.of(-1, 500, 502, 503, 504, 599, 404, 408, 409, 429))
                .allMatch(DeliverySpec::retryable);
        assertThat(List.of(400, 401, 403, 405, 410, 413, 415, 422, 300, 302))
                .noneMatch(DeliverySpec::retryable);
    }

    @Test
    void cesqlIsAStartUpErrorNamingTheDialect() throws Exception {
        Path trigger = triggerCopy(dir, "    - suffix:\n        source: .images",
                "    - cesql: \"source LIKE '%.images'\"");

        assertThatThrownBy(() -> TriggerSpec.read(trigger, SERVICES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.filters[1].cesql")
                .hasMessageContaining("not supported");
    }

    @Test
    void anUnknownDialectOrDeliveryFieldOrServiceIsAStartUpError() throws Exception {
        assertThatThrownBy(() -> TriggerSpec.read(triggerCopy(dir, "- suffix:", "- endsWith:"), SERVICES))
                .hasMessageContaining("unknown filter dialect 'endsWith'");
        assertThatThrownBy(() -> TriggerSpec.read(triggerCopy(dir, "    timeout: PT60S",
                "    timeout: PT60S\n    retryAfterMax: PT30S"), SERVICES))
                .hasMessageContaining("spec.delivery.retryAfterMax is not supported");
        assertThatThrownBy(() -> TriggerSpec.read(realTrigger(), Map.of("resize", URI.create("http://h/"))))
                .hasMessageContaining("status-dead-letter")
                .hasMessageContaining("known: resize");
        assertThatThrownBy(() -> TriggerSpec.read(triggerCopy(dir, "backoffDelay: PT2S", "backoffDelay: 2s"),
                SERVICES)).hasMessageContaining("spec.delivery.backoffDelay must be an ISO-8601 duration");
    }

    @Test
    void legacyAttributesMatchExactlyAndAnEmptyValueMeansPresent() throws Exception {
        Path trigger = dir.resolve("legacy.yaml");
        Files.writeString(trigger, """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: legacy}
                spec:
                  broker: default
                  filter:
                    attributes:
                      type: com.amazonaws.s3.ObjectCreated:Put
                      subject: ""
                  subscriber:
                    uri: http://127.0.0.1:9/hook
                """);
        TriggerSpec spec = TriggerSpec.read(trigger, Map.of());
        CloudEvent put = s3Event("ObjectCreated:Put", "", "images", "cat.jpg");

        assertThat(spec.subscriber()).isEqualTo(URI.create("http://127.0.0.1:9/hook"));
        assertThat(spec.delivery().deadLetterSink()).isNull();
        assertThat(spec.filter().passes(put)).isTrue();
        assertThat(spec.filter().passes(CloudEventBuilder.v1(put).withSubject(null).build())).isFalse();
        assertThat(spec.filter().passes(s3Event("ObjectCreated:Copy", "", "images", "cat.jpg"))).isFalse();
    }

    @Test
    void notOfAPrefixAndAllCombineAsKnativesDialects() throws Exception {
        Path trigger = dir.resolve("dialects.yaml");
        Files.writeString(trigger, """
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: dialects}
                spec:
                  filters:
                    - all:
                        - prefix: {type: 'com.amazonaws.s3.ObjectCreated:'}
                        - not: {prefix: {subject: private/}}
                  subscriber: {ref: {kind: Service, name: resize}}
                """);
        EventFilter filter = TriggerSpec.read(trigger, SERVICES).filter();

        assertThat(filter.passes(s3Event("ObjectCreated:Put", "", "images", "public/a.jpg"))).isTrue();
        assertThat(filter.passes(s3Event("ObjectCreated:Put", "", "images", "private/a.jpg"))).isFalse();
        assertThat(filter.passes(s3Event("ObjectRemoved:Delete", "", "images", "public/a.jpg"))).isFalse();
    }
}
