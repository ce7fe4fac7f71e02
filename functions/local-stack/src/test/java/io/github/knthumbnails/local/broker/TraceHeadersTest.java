package io.github.knthumbnails.local.broker;

import static io.github.knthumbnails.local.broker.BrokerFixtures.post;
import static io.github.knthumbnails.local.broker.BrokerFixtures.triggerCopy;
import static io.github.knthumbnails.local.broker.BrokerFixtures.upload;
import static io.github.knthumbnails.local.broker.TestReceiver.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The W3C trace headers an event comes in with reach the subscriber and the dead-letter sink unchanged, also
 * after a stay in the queue across a restart, as Knative's broker (otelhttp, W3C + Baggage propagators) forwards
 * them; the CloudEvent's own {@code traceparent} extension stays what it was.
 */
class TraceHeadersTest {

    static final Duration DRAIN = Duration.ofSeconds(15);
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String PRODUCER_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";
    static final Map<String, String> TRACE = Map.of("traceparent", TRACEPARENT,
            "tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "baggage", "tenant=acme,upload.size=512");

    @TempDir
    Path dir;

    TestReceiver resize;
    TestReceiver status;
    LocalBroker broker;

    @BeforeEach
    void receivers() throws Exception {
        resize = TestReceiver.start();
        status = TestReceiver.start();
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        resize.close();
        status.close();
    }

    LocalBroker start() throws Exception {
        Path trigger = triggerCopy(dir, "backoffDelay: PT2S", "backoffDelay: PT0.001S");
        broker = LocalBroker.start(LocalBroker.Config.of(dir.resolve("data"), trigger,
                Map.of("resize", resize.uri(), "status-dead-letter", status.uri())).withConcurrency(2)
                .withDeadLetterRetryInterval(Duration.ofMillis(20)));
        return broker;
    }

    /** An upload event carrying the distributed-tracing extension, as the minio-source's PRODUCER span sets it. */
    static CloudEvent tracedUpload(String key) {
        return CloudEventBuilder.v1(upload(key)).withExtension("traceparent", PRODUCER_TRACEPARENT).build();
    }

    @Test
    void theSubscriberGetsTheTraceHeadersTheEventCameWith() throws Exception {
        start();

        assertThat(post(broker.uri(), tracedUpload("traced.jpg"), TRACE).statusCode()).isEqualTo(202);

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        TestReceiver.Request request = resize.requests().get(0);
        assertThat(request.header("traceparent")).isEqualTo(TRACEPARENT);
        assertThat(request.header("tracestate")).isEqualTo(TRACE.get("tracestate"));
        assertThat(request.header("baggage")).isEqualTo(TRACE.get("baggage"));
        assertThat(request.header("ce-traceparent")).isEqualTo(PRODUCER_TRACEPARENT);
        assertThat(request.headers().keySet()).noneMatch(name -> name.contains(TraceHeaders.PREFIX));
    }

    @Test
    void anEventWithoutTraceHeadersIsSentWithout() throws Exception {
        start();

        post(broker.uri(), upload("untraced.jpg"));

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests().get(0).headers()).doesNotContainKeys("traceparent", "tracestate", "baggage");
    }

    @Test
    void theDeadLetterSinkGetsThemToo() throws Exception {
        start();
        resize.answer(n -> 400);

        post(broker.uri(), tracedUpload("refused.jpg"), TRACE);

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        TestReceiver.Request letter = status.requests().get(0);
        assertThat(letter.path()).isEqualTo("/dead-letter");
        assertThat(letter.header("traceparent")).isEqualTo(TRACEPARENT);
        assertThat(letter.header("baggage")).isEqualTo(TRACE.get("baggage"));
        assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("400");
    }

    @Test
    void theySurviveTheQueueAcrossARestart() throws Exception {
        start();
        resize.answer(n -> 503);
        resize.hold();
        post(broker.uri(), tracedUpload("durable.jpg"), TRACE);
        awaitTrue(() -> resize.inFlight() == 1, "1 request in flight");
        broker.close();
        resize.answer(n -> 202);
        resize.release();

        start();

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        TestReceiver.Request replayed = resize.requests().get(resize.requests().size() - 1);
        assertThat(replayed.header("traceparent")).isEqualTo(TRACEPARENT);
        assertThat(replayed.header("tracestate")).isEqualTo(TRACE.get("tracestate"));
        assertThat(replayed.header("ce-traceparent")).isEqualTo(PRODUCER_TRACEPARENT);
        assertThat(replayed.headers().keySet()).noneMatch(name -> name.contains(TraceHeaders.PREFIX));
        assertThat(broker.counts().delivered()).isEqualTo(1);
    }
}
