package io.github.knthumbnails.local.broker;

import static io.github.knthumbnails.local.broker.BrokerFixtures.post;
import static io.github.knthumbnails.local.broker.BrokerFixtures.triggerCopy;
import static io.github.knthumbnails.local.broker.BrokerFixtures.upload;
import static io.github.knthumbnails.local.broker.TestReceiver.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import io.github.knthumbnails.local.QueueFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Broker over real HTTP on loopback, with the real Trigger (backoff shortened to 1 ms) and real S3 events. */
class LocalBrokerTest {

    static final Duration DRAIN = Duration.ofSeconds(15);

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

    LocalBroker.Config config() throws Exception {
        Path trigger = triggerCopy(dir, "backoffDelay: PT2S", "backoffDelay: PT0.001S");
        return LocalBroker.Config.of(dir.resolve("data"), trigger,
                Map.of("resize", resize.uri(), "status-dead-letter", status.uri())).withConcurrency(2)
                .withDeadLetterRetryInterval(Duration.ofMillis(20));
    }

    LocalBroker start(LocalBroker.Config config) throws Exception {
        // Directory syncs are real (QueueFiles.FSYNC); only the throughput figure cares how long they take.
        broker = LocalBroker.start(config, QueueFiles.FSYNC);
        return broker;
    }

    @Test
    void answers202BeforeTheSubscriberHasAnsweredAndDeliversInBinaryMode() throws Exception {
        start(config());
        resize.hold();

        assertThat(post(broker.uri(), upload("cat.jpg")).statusCode()).isEqualTo(202);
        assertThat(broker.pendingCount()).isEqualTo(1);
        assertThat(Files.list(dir.resolve("data/broker")).filter(p -> p.toString().endsWith(".json"))).hasSize(1);

        resize.release();
        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        TestReceiver.Request request = resize.requests().get(0);
        assertThat(request.header("ce-type")).isEqualTo("com.amazonaws.s3.ObjectCreated:Put");
        assertThat(request.header("ce-subject")).isEqualTo("cat.jpg");
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(broker.counts()).isEqualTo(new LocalBroker.Counts(1, 0, 0, 0));
        assertThat(Files.list(dir.resolve("data/broker")).filter(p -> p.toString().endsWith(".json"))).isEmpty();
    }

    @Test
    void neverHasMoreThanConcurrencyRequestsInFlight() throws Exception {
        start(config());
        resize.hold();
        for (int i = 0; i < 8; i++) {
            assertThat(post(broker.uri(), upload("burst-" + i + ".jpg")).statusCode()).isEqualTo(202);
        }
        awaitTrue(() -> resize.inFlight() == 2, "2 requests in flight");
        Thread.sleep(100); // room for a third request, which must not come

        assertThat(resize.maxInFlight()).isEqualTo(2);
        resize.release();
        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests()).hasSize(8);
        assertThat(resize.maxInFlight()).isEqualTo(2);
    }

    @Test
    void aRetryableFailureIsRetriedAndThenDelivered() throws Exception {
        start(config());
        resize.answer(n -> n == 1 ? 503 : 202);

        post(broker.uri(), upload("flaky.jpg"));

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests()).hasSize(2);
        assertThat(status.requests()).isEmpty();
        assertThat(broker.counts().delivered()).isEqualTo(1);
    }

    @Test
    void aFinal4xxGoesToTheDeadLetterSinkAtOnceWithKnativesErrorExtensions() throws Exception {
        start(config());
        resize.answer(n -> 400);
        resize.answerBody("{\"error\":\"not an S3 CloudEvent\"}");

        post(broker.uri(), upload("refused.jpg"));

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests()).hasSize(1);
        TestReceiver.Request letter = status.requests().get(0);
        assertThat(letter.path()).isEqualTo("/dead-letter");
        assertThat(letter.header("ce-subject")).isEqualTo("refused.jpg");
        assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("400");
        assertThat(letter.header("ce-knativeerrordest")).isEqualTo(resize.uri().toString());
        assertThat(new String(Base64.getDecoder().decode(letter.header("ce-knativeerrordata")),
                StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"not an S3 CloudEvent\"}");
        assertThat(letter.bodyText()).isEqualTo(resize.requests().get(0).bodyText()); // the original data
        assertThat(broker.counts()).isEqualTo(new LocalBroker.Counts(0, 1, 0, 0));
    }

    @Test
    void a5xxForeverIsDeadLetteredAfterRetryPlusOneAttempts() throws Exception {
        start(config());
        resize.answer(n -> 500);

        post(broker.uri(), upload("broken.jpg"));

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests()).hasSize(6); // retry: 5
        assertThat(status.requests()).hasSize(1);
        assertThat(status.requests().get(0).header("ce-knativeerrorcode")).isEqualTo("500");
    }

    @Test
    void aSubscriberThatIsDownIsDeadLetteredWithCode500AndTheDispatchError() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + freePort() + "/");
        LocalBroker.Config config = config();
        start(new LocalBroker.Config(config.dataDir(), config.triggerFile(),
                Map.of("resize", nobody, "status-dead-letter", status.uri()), 2, 0, 1 << 20, Duration.ofMillis(20)));

        post(broker.uri(), upload("unreachable.jpg"));

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        TestReceiver.Request letter = status.requests().get(0);
        assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("500");
        assertThat(new String(Base64.getDecoder().decode(letter.header("ce-knativeerrordata")),
                StandardCharsets.UTF_8)).startsWith("dispatch error: ");
    }

    @Test
    void anAttemptOverTheTimeoutIsRetriedThenDeadLetteredAsNoResponse() throws Exception {
        Path trigger = triggerCopy(dir, "retry: 5", "retry: 1", "timeout: PT60S", "timeout: PT0.2S");
        start(new LocalBroker.Config(dir.resolve("data"), trigger,
                Map.of("resize", resize.uri(), "status-dead-letter", status.uri()), 2, 0, 1 << 20,
                Duration.ofMillis(20)));
        resize.hold();

        assertThat(post(broker.uri(), upload("slow.jpg")).body()).isEmpty();

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests()).hasSize(2);
        TestReceiver.Request letter = status.requests().get(0);
        assertThat(letter.header("ce-knativeerrorcode")).isEqualTo("500");
        assertThat(new String(Base64.getDecoder().decode(letter.header("ce-knativeerrordata")),
                StandardCharsets.UTF_8)).isEqualTo("dispatch error: timed out after 200 ms");
    }

    @Test
    void aDeadLetterTheSinkCannotTakeStaysOnDiskAndIsSentAgain() throws Exception {
        start(config());
        resize.answer(n -> 400);
        status.answer(n -> n <= 7 ? 503 : 202); // one full round of 6 attempts fails, the second round lands

        post(broker.uri(), upload("later.jpg"));

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(status.requests()).hasSize(8);
        assertThat(broker.counts().deadLettered()).isEqualTo(1);
    }

    @Test
    void eventsPendingAtCloseAreDeliveredByTheNextBrokerOnTheSameDirectory() throws Exception {
        LocalBroker.Config config = config();
        start(config);
        resize.answer(n -> 503);
        resize.hold();
        for (int i = 0; i < 5; i++) {
            post(broker.uri(), upload("durable-" + i + ".jpg"));
        }
        awaitTrue(() -> resize.inFlight() == 2, "2 requests in flight");
        broker.close();
        resize.answer(n -> 202);
        resize.release();

        start(config);

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests().stream().map(r -> r.header("ce-subject")).distinct())
                .containsExactlyInAnyOrder(Stream.iterate(0, i -> i + 1).limit(5)
                        .map(i -> "durable-" + i + ".jpg").toArray(String[]::new));
        assertThat(broker.counts().delivered()).isEqualTo(5);
    }

    @Test
    void anEventTheFilterDropsIsAcceptedAndNeverStoredNorDelivered() throws Exception {
        start(config());

        assertThat(post(broker.uri(), BrokerFixtures.s3Event("ObjectCreated:PutTagging", "", "images", "t.jpg"))
                .statusCode()).isEqualTo(202);
        post(broker.uri(), upload("marker.jpg"));

        assertThat(broker.awaitDrained(DRAIN)).isTrue();
        assertThat(resize.requests()).extracting(r -> r.header("ce-subject")).containsExactly("marker.jpg");
        assertThat(broker.counts()).isEqualTo(new LocalBroker.Counts(1, 0, 1, 0));
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
