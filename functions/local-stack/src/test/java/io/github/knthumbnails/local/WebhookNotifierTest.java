package io.github.knthumbnails.local;

import static io.github.knthumbnails.local.RecordingReceiver.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.knthumbnails.local.RecordingReceiver.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookNotifierTest {

    private static final Duration RETRY = Duration.ofMillis(50);

    @TempDir
    Path dataDir;

    private RecordingReceiver receiver;
    private WebhookNotifier notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    private WebhookNotifier start(URI endpoint, String token) throws IOException {
        return WebhookNotifier.start(new WebhookNotifier.Config(dataDir, endpoint, token, RETRY,
                Duration.ofSeconds(10)));
    }

    private static byte[] event(int n) {
        return ("{\"EventName\":\"s3:ObjectCreated:Put\",\"Key\":\"images/" + n + ".jpg\",\"Records\":[]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private List<Path> queuedFiles() throws IOException {
        try (Stream<Path> files = Files.list(notifierDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private Path notifierDir() {
        return dataDir.resolve("events");
    }

    @ParameterizedTest(name = "token [{0}] -> Authorization [{1}]")
    @CsvSource(nullValues = "NONE", value = {
        "s3cr3t, Bearer s3cr3t",
        "'Basic dXNlcjpwdw==', 'Basic dXNlcjpwdw=='",
        "NONE, NONE",
    })
    void postsJsonWithTheAuthorizationMinioWouldSend(String token, String expectedAuthorization) throws Exception {
        receiver = RecordingReceiver.start();
        notifier = start(receiver.uri(), token);

        notifier.submit(event(1));

        Received request = receiver.awaitReceived(1).get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo(expectedAuthorization);
        assertThat(request.body()).isEqualTo(event(1));
    }

    @Test
    void rejectsATokenOfMoreThanTwoWords() {
        assertThatThrownBy(() -> WebhookNotifier.Config.of(dataDir, URI.create("http://127.0.0.1:1/"), "a b c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not 3");
    }

    @Test
    void retriesWhileTheReceiverAnswers503AndDeliversOnceItAnswers2xx() throws Exception {
        receiver = RecordingReceiver.start();
        receiver.answerWith(503);
        notifier = start(receiver.uri(), null);

        notifier.submit(event(1));
        awaitTrue(() -> receiver.attempts() >= 3, "three attempts");

        assertThat(receiver.received()).isEmpty();
        assertThat(notifier.pendingCount()).isEqualTo(1);
        assertThat(queuedFiles()).hasSize(1);

        receiver.answerWith(204);

        assertThat(notifier.awaitDrained(RecordingReceiver.DEADLINE)).isTrue();
        assertThat(receiver.received()).extracting(Received::body).containsExactly(event(1));
        assertThat(queuedFiles()).isEmpty();
    }

    @Test
    void keepsEventsQueuedWhileTheReceiverIsDownAcrossANotifierRestart() throws Exception {
        receiver = RecordingReceiver.start();
        int port = receiver.port();
        URI endpoint = receiver.uri();
        receiver.close();
        receiver = null;

        notifier = start(endpoint, null);
        for (int i = 1; i <= 3; i++) {
            notifier.submit(event(i));
        }
        assertThat(notifier.awaitDrained(Duration.ofMillis(300))).isFalse();
        notifier.close();
        assertThat(queuedFiles()).hasSize(3);

        notifier = start(endpoint, null);
        receiver = RecordingReceiver.start(port);

        assertThat(notifier.awaitDrained(RecordingReceiver.DEADLINE)).isTrue();
        assertThat(receiver.received()).extracting(Received::body).containsExactly(event(1), event(2), event(3));
        assertThat(queuedFiles()).isEmpty();
    }

    @Test
    void deliversEventsInSubmissionOrder() throws Exception {
        receiver = RecordingReceiver.start();
        receiver.answerWith(500);
        notifier = start(receiver.uri(), null);

        for (int i = 0; i < 25; i++) {
            notifier.submit(event(i));
        }
        assertThat(queuedFiles()).hasSize(25);
        receiver.answerWith(200);

        assertThat(notifier.awaitDrained(RecordingReceiver.DEADLINE)).isTrue();
        assertThat(receiver.received()).extracting(Received::body)
                .containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(WebhookNotifierTest::event).toList());
    }

    @Test
    void closeAbortsAPostInFlightAndLeavesTheEventForTheNextStart() throws Exception {
        receiver = RecordingReceiver.start();
        receiver.hold();
        notifier = start(receiver.uri(), null);
        notifier.submit(event(1));
        awaitTrue(() -> receiver.attempts() == 1, "the POST to arrive");

        long started = System.nanoTime();
        notifier.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(queuedFiles()).hasSize(1);
        receiver.close();

        receiver = RecordingReceiver.start();
        notifier = start(receiver.uri(), null);
        assertThat(notifier.awaitDrained(RecordingReceiver.DEADLINE)).isTrue();
        assertThat(receiver.received()).extracting(Received::body).containsExactly(event(1));
    }

    @Test
    void anEventRefusedWith4xxIsMovedAsideAndTheNextOneStillGetsThrough() throws Exception {
        // The receiver refuses the poisoned event for good (400) and takes every other one.
        List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = "{\"error\":\"not a MinIO notification\"}".getBytes(StandardCharsets.UTF_8);
            if (body.contains("poison")) {
                exchange.sendResponseHeaders(400, answer.length);
                exchange.getResponseBody().write(answer);
            } else {
                delivered.add(body);
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
        try {
            notifier = start(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), null);
            byte[] poison = "{\"poison\":true}".getBytes(StandardCharsets.UTF_8);

            notifier.submit(poison);
            notifier.submit(event(2));

            assertThat(notifier.awaitDrained(RecordingReceiver.DEADLINE)).isTrue();
            assertThat(delivered).containsExactly(new String(event(2), StandardCharsets.UTF_8));
            assertThat(notifier.refusedCount()).isEqualTo(1);
            assertThat(queuedFiles()).isEmpty();
            Path refused = notifierDir().resolve("refused");
            try (Stream<Path> files = Files.list(refused)) {
                List<Path> moved = files.toList();
                assertThat(moved).hasSize(1);
                assertThat(Files.readAllBytes(moved.get(0))).isEqualTo(poison);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void a429IsRetriedNotRefused() throws Exception {
        receiver = RecordingReceiver.start();
        receiver.answerWith(429);
        notifier = start(receiver.uri(), null);

        notifier.submit(event(1));
        awaitTrue(() -> receiver.attempts() >= 2, "two attempts");
        receiver.answerWith(200);

        assertThat(notifier.awaitDrained(RecordingReceiver.DEADLINE)).isTrue();
        assertThat(receiver.received()).extracting(Received::body).containsExactly(event(1));
        assertThat(notifier.refusedCount()).isZero();
    }

    @Test
    void theQueueDirectoryIsSyncedAfterTheRenameBeforeSubmitReturns() throws Exception {
        receiver = RecordingReceiver.start();
        receiver.hold();
        List<String> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
        notifier = WebhookNotifier.start(new WebhookNotifier.Config(dataDir, receiver.uri(), null, RETRY,
                Duration.ofSeconds(10)), directory -> {
                    try (Stream<Path> files = Files.list(directory)) {
                        synced.add(directory.getFileName() + ": " + files.map(p -> p.getFileName().toString())
                                .filter(n -> !n.startsWith(".")).sorted().toList());
                    }
                });

        notifier.submit(event(1));

        // The directory was synced once, after the rename: the final name is there, the temp file is not.
        assertThat(synced).containsExactly("events: [00000000000000000001.json]");
        receiver.release();
        assertThat(notifier.awaitDrained(RecordingReceiver.DEADLINE)).isTrue();
    }

    @Test
    void refusesASecondNotifierOnTheSameDirectory() throws Exception {
        notifier = start(URI.create("http://127.0.0.1:1/"), null);

        assertThatThrownBy(() -> start(URI.create("http://127.0.0.1:1/"), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("events");
    }
}
