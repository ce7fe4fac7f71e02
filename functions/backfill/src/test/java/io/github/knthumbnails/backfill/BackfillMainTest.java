package io.github.knthumbnails.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backfill CLI end to end on its own (issue 13): a real S3 server holding uploads and job records in every
 * state, a real HTTP sink decoding the CloudEvents it receives, and the command line as {@code scripts/backfill.sh}
 * runs it.
 */
class BackfillMainTest {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");

    private static final String RENDITIONS = "thumb:100x100:cover:80";
    private static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");

    private final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));
    private final JobStore jobs = new JobStore(store, "thumbnails");
    private final ConcurrentLinkedQueue<CloudEvent> received = new ConcurrentLinkedQueue<>();
    private final List<Integer> answers = Collections.synchronizedList(new ArrayList<>());
    private HttpServer sink;
    private String prefix;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        prefix = "run-" + System.nanoTime() + "/";
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = answers.isEmpty() ? 202 : answers.remove(0);
            if (status == 202) {
                received.add(CloudEventHttp.read(each -> exchange.getRequestHeaders().forEach(
                        (name, values) -> values.forEach(v -> each.accept(name, v))), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        sink.start();
    }

    @AfterEach
    void stop() {
        sink.stop(0);
    }

    private int backfill(String... args) {
        Map<String, String> env = new HashMap<>(Map.of("MINIO_ENDPOINT", S3.endpoint().toString(),
                "RENDITIONS", RENDITIONS, "K_SINK", "http://127.0.0.1:" + sink.getAddress().getPort() + "/"));
        String[] all = Stream.concat(Stream.of("--prefix", prefix, "--no-progress"), Stream.of(args))
                .toArray(String[]::new);
        int status = BackfillMain.commandLine(env::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofMillis(10)).execute(all);
        System.err.print(err.toString(StandardCharsets.UTF_8)); // in the test's report, when it fails
        return status;
    }

    private String summary() {
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.get(lines.size() - 1);
    }

    private ObjectInfo upload(String name) {
        store.put("images", prefix + name, ("bytes of " + name).getBytes(StandardCharsets.UTF_8), "image/jpeg",
                Map.of());
        return store.stat("images", prefix + name).orElseThrow();
    }

    private static JobRecord succeeded(ObjectInfo upload, String spec) {
        return JobRecord.succeeded(upload.eTag(), LONG_AGO, LONG_AGO, List.of(
                new RenditionInfo("thumb", 100, 100, "image/jpeg", 3000, spec)));
    }

    /** One upload in each state; returns the keys that must be sent. */
    private List<String> seed() {
        upload("missing.jpg");
        ObjectInfo current = upload("current.jpg");
        jobs.write("images", current.key(), succeeded(current, "100x100:cover:80:jpeg"));
        ObjectInfo old = upload("old-profile.jpg");
        jobs.write("images", old.key(), succeeded(old, "100x100:cover:60:jpeg"));
        ObjectInfo dead = upload("dead-letter.jpg");
        jobs.write("images", dead.key(), JobRecord.failed(dead.eTag(), LONG_AGO, LONG_AGO,
                new JobError("delivery_failed", "the Broker gave up")));
        ObjectInfo corrupt = upload("corrupt.jpg");
        jobs.write("images", corrupt.key(), JobRecord.failed(corrupt.eTag(), LONG_AGO, LONG_AGO,
                new JobError("corrupt", "not a JPEG")));
        ObjectInfo stuck = upload("stuck.jpg");
        jobs.write("images", stuck.key(), JobRecord.processing(stuck.eTag(), LONG_AGO));
        ObjectInfo working = upload("working.jpg");
        jobs.write("images", working.key(), JobRecord.processing(working.eTag(), Instant.now().minusSeconds(60)));
        return Stream.of("dead-letter.jpg", "missing.jpg", "old-profile.jpg", "stuck.jpg").map(k -> prefix + k)
                .toList();
    }

    @Test
    void sendsTheEventMinioWouldHaveSentForEachOutOfDateUploadAndTouchesNoUpload() {
        List<String> expected = seed();
        Map<String, ObjectInfo> before = new HashMap<>();
        store.list("images", prefix, null, 100).objects().forEach(o -> before.put(o.key(), o));
        S3.clearRequests();

        assertThat(backfill()).as(err.toString(StandardCharsets.UTF_8)).isZero();

        assertThat(summary()).startsWith("backfill bucket=images prefix=" + prefix + " listed=7 sent=4 skipped=3"
                + " failed=0 dry_run=false missing=1 other_version=0 not_final=1 stuck=1 other_profile=1");
        assertThat(received).extracting(CloudEvent::getSubject).containsExactlyElementsOf(expected);
        for (CloudEvent event : received) {
            assertThat(event.getType()).isEqualTo("com.amazonaws.s3.ObjectCreated:Put");
            assertThat(event.getSource().toString()).isEqualTo("minio:s3..images");
            S3EventRecord record = S3CloudEvents.recordOf(event);
            ObjectInfo upload = before.get(record.key());
            assertThat(record.eTag()).isEqualTo(upload.eTag());
            assertThat(record.size()).isEqualTo(upload.size());
            assertThat(record.requestId()).startsWith("backfill-");
            assertThat(Duration.between(event.getTime().toInstant(), Instant.now()).abs()).isLessThan(
                    Duration.ofMinutes(1));
        }
        assertThat(received).extracting(CloudEvent::getId).doesNotHaveDuplicates();
        assertThat(S3.requests()).allSatisfy(r -> assertThat(r.method()).isIn("GET", "HEAD"));
        store.list("images", prefix, null, 100).objects().forEach(o -> {
            assertThat(o.eTag()).isEqualTo(before.get(o.key()).eTag());
            assertThat(o.lastModified()).isEqualTo(before.get(o.key()).lastModified());
        });
    }

    @Test
    void aDryRunListsWhatItWouldSendAndSendsNothing() {
        List<String> expected = seed();

        assertThat(backfill("--dry-run")).isZero();

        assertThat(received).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("would send")))
                .containsExactly("would send images/" + expected.get(0) + " (not_final)",
                        "would send images/" + expected.get(1) + " (missing)",
                        "would send images/" + expected.get(2) + " (other_profile)",
                        "would send images/" + expected.get(3) + " (stuck)");
        assertThat(summary()).contains(" sent=0 ", " dry_run=true ", " missing=1 ");
    }

    @Test
    void theStuckThresholdAndTheProfileComeFromTheCommandLine() {
        seed();

        assertThat(backfill("--dry-run", "--stuck-after", "0s")).as("zero is refused").isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("must be positive");
        out.reset();
        assertThat(backfill("--dry-run", "--stuck-after", "30s", "--renditions", "thumb:100x100:cover:60")).isZero();
        assertThat(summary()).as("the minute-old processing is stuck after 30 s; the other profile is now current")
                .contains(" stuck=2 ").endsWith(" other_profile=1");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("/current.jpg (other_profile)", "/working.jpg (stuck)")
                .doesNotContain("old-profile.jpg");
    }

    @Test
    void aSinkThatFailsForAWhileIsRetriedAndOneThatRefusesCountsAsFailed() {
        upload("a.jpg");
        answers.addAll(List.of(503, 429, 202));
        assertThat(backfill()).isZero();
        assertThat(received).hasSize(1);
        assertThat(summary()).contains(" sent=1 ", " failed=0 ");

        received.clear();
        out.reset();
        upload("b.jpg");
        answers.addAll(List.of(400, 400));
        assertThat(backfill()).as("an upload failed").isEqualTo(1);
        assertThat(summary()).contains(" listed=2 sent=0 skipped=0 failed=2 ");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("failed images/" + prefix + "a.jpg",
                "answered 400");
    }

    @Test
    void anotherBucketThanAnUploadBucketIsRefused() {
        assertThat(backfill("--bucket", "thumbnails")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'thumbnails' is not in UPLOAD_BUCKETS");
    }

    @Test
    void aBucketThatCannotBeListedStopsTheRun() {
        Map<String, String> env = Map.of("MINIO_ENDPOINT", "http://127.0.0.1:9", "K_SINK", "http://127.0.0.1:9/");
        int status = BackfillMain.commandLine(env::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofMillis(10)).execute("--no-progress");
        assertThat(status).isEqualTo(3);
        assertThat(received).isEmpty();
    }
}
