package io.github.knthumbnails.resize;

import static io.github.knthumbnails.resize.ResizeIntegrationTests.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 8, findings 1, 4 and 6, end to end: the resize function over real HTTP against a real S3 server, each
 * sequence as a user, a careless operator or an attacker inside the cluster would produce it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResizeHardeningTests {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private static final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));
    private static final JobStore jobs = new JobStore(store, "thumbnails");

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @LocalServerPort
    int port;

    private static String upload(String key, byte[] bytes) {
        store.put("images", key, bytes, "image/jpeg", Map.of());
        return store.stat("images", key).orElseThrow().eTag();
    }

    private int post(io.cloudevents.CloudEvent event) throws Exception {
        return TestEvents.post(port, event).statusCode();
    }

    private static JobRecord record(String key) {
        return jobs.read("images", key).orElseThrow();
    }

    // --- finding 1: delivery_failed is never final ---------------------------------------------------------

    /** A forged (or outdated) dead letter recorded delivery_failed; the real event still processes the job. */
    @Test
    void theRealEventProcessesAJobThatADeadLetterRecordedFailed() throws Exception {
        String eTag = upload("f1/forged.jpg", jpeg(300, 200));
        jobs.write("images", "f1/forged.jpg", JobRecord.failed(eTag, Instant.now(), Instant.now(),
                new JobError("delivery_failed", "the Broker gave up delivering the event after its retries")));

        assertThat(post(TestEvents.put("f1/forged.jpg", eTag))).isEqualTo(200);

        assertThat(record("f1/forged.jpg").state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.stat("thumbnails", "renditions/thumb/images/f1/forged.jpg")).isPresent();
    }

    /** The README's "copy it again to retry": the same bytes again (same ETag) are processed again. */
    @Test
    void reUploadingTheSameBytesRetriesADeliveryFailure() throws Exception {
        byte[] bytes = jpeg(200, 200);
        String eTag = upload("f1/again.jpg", bytes);
        jobs.write("images", "f1/again.jpg", JobRecord.failed(eTag, Instant.now(), Instant.now(),
                new JobError("delivery_failed", "gave up")));

        String again = upload("f1/again.jpg", bytes);
        assertThat(again).isEqualTo(eTag);
        assertThat(post(TestEvents.put("f1/again.jpg", again))).isEqualTo(200);

        assertThat(record("f1/again.jpg").state()).isEqualTo(JobState.SUCCEEDED);
    }

    /** An engine verdict stays final: a redelivery leaves it as it is. */
    @Test
    void anEngineVerdictIsFinal() throws Exception {
        String eTag = upload("f1/pdf.jpg", "%PDF-1.4\n%%EOF\n".getBytes());
        assertThat(post(TestEvents.put("f1/pdf.jpg", eTag))).isEqualTo(200);
        JobRecord failed = record("f1/pdf.jpg");
        assertThat(failed.error().errorClass()).isEqualTo("unsupported_format");

        assertThat(post(TestEvents.put("f1/pdf.jpg", eTag))).isEqualTo(200);

        assertThat(record("f1/pdf.jpg")).isEqualTo(failed);
    }

    // --- finding 6: forged events are trusted --------------------------------------------------------------

    /** The real ETag with size 10^12: the size comes from storage, the genuine job succeeds and stays so. */
    @Test
    void aForgedHugeSizeDoesNotFailTheUpload() throws Exception {
        String eTag = upload("f6/size.jpg", jpeg(320, 240));

        assertThat(post(TestEvents.event("s3:ObjectCreated:Put", "f6/size.jpg", eTag, 1_000_000_000_000L)))
                .isEqualTo(200);
        JobRecord afterForgery = record("f6/size.jpg");
        assertThat(post(TestEvents.put("f6/size.jpg", eTag))).isEqualTo(200);

        assertThat(afterForgery.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(record("f6/size.jpg")).isEqualTo(afterForgery);
    }

    /** Random ETags (with a huge size, too): nothing is written for a version storage has not confirmed. */
    @Test
    void aForgedRandomETagLeavesTheRealRecordAndRenditionsUntouched() throws Exception {
        String eTag = upload("f6/random.jpg", jpeg(320, 240));
        assertThat(post(TestEvents.put("f6/random.jpg", eTag))).isEqualTo(200);
        JobRecord genuine = record("f6/random.jpg");
        ObjectInfo rendition = store.stat("thumbnails", "renditions/thumb/images/f6/random.jpg").orElseThrow();

        assertThat(post(TestEvents.put("f6/random.jpg", "0123456789abcdef0123456789abcdef"))).isEqualTo(200);
        assertThat(post(TestEvents.event("s3:ObjectCreated:Put", "f6/random.jpg", "fedcba9876543210fedcba9876543210",
                1_000_000_000_000L))).isEqualTo(200);

        assertThat(record("f6/random.jpg")).isEqualTo(genuine);
        assertThat(store.stat("thumbnails", "renditions/thumb/images/f6/random.jpg").orElseThrow())
                .isEqualTo(rendition);
    }

    // --- finding 4: a key under a deleted key's name -------------------------------------------------------

    /** PUT dir, DELETE dir (its removal event handled), PUT dir/x.jpg: processed, nothing blocked. */
    @Test
    void aRemovalEventClearsTheWayForAKeyUnderTheRemovedName() throws Exception {
        assertThat(post(TestEvents.put("f4a/dir", upload("f4a/dir", jpeg(100, 100))))).isEqualTo(200);
        store.delete("images", "f4a/dir");

        assertThat(post(TestEvents.removed("f4a/dir"))).isEqualTo(200);
        assertThat(store.stat("thumbnails", "jobs/images/f4a/dir")).isEmpty();
        assertThat(store.stat("thumbnails", "renditions/thumb/images/f4a/dir")).isEmpty();

        assertThat(post(TestEvents.put("f4a/dir/x.jpg", upload("f4a/dir/x.jpg", jpeg(100, 100))))).isEqualTo(200);
        assertThat(record("f4a/dir/x.jpg").state()).isEqualTo(JobState.SUCCEEDED);
    }

    /** A forged removal of an existing key deletes nothing. */
    @Test
    void aRemovalEventForAKeyThatExistsDeletesNothing() throws Exception {
        String eTag = upload("f4b/kept.jpg", jpeg(100, 100));
        assertThat(post(TestEvents.put("f4b/kept.jpg", eTag))).isEqualTo(200);
        JobRecord before = record("f4b/kept.jpg");

        assertThat(post(TestEvents.removed("f4b/kept.jpg"))).isEqualTo(200);

        assertThat(record("f4b/kept.jpg")).isEqualTo(before);
        assertThat(store.stat("thumbnails", "renditions/thumb/images/f4b/kept.jpg")).isPresent();
        assertThat(store.stat("images", "f4b/kept.jpg")).isPresent();
    }

    /**
     * The exact sequence of the finding, removal event lost: the job record's HEAD gets a 500 from the S3 server;
     * the orphaned derived objects of {@code dir} are cleared and {@code dir/x.jpg} is processed (200, not 503).
     */
    @Test
    void orphanedDerivedObjectsOfADeletedParentAreRepaired() throws Exception {
        assertThat(post(TestEvents.put("f4c/dir", upload("f4c/dir", jpeg(100, 100))))).isEqualTo(200);
        store.delete("images", "f4c/dir");

        assertThat(post(TestEvents.put("f4c/dir/x.jpg", upload("f4c/dir/x.jpg", jpeg(100, 100))))).isEqualTo(200);

        assertThat(record("f4c/dir/x.jpg").state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.stat("thumbnails", "renditions/thumb/images/f4c/dir/x.jpg")).isPresent();
    }

    /** The other way round: PUT dir/x.jpg, DELETE it (event lost), PUT dir. */
    @Test
    void orphanedDerivedObjectsUnderADeletedChildAreRepaired() throws Exception {
        assertThat(post(TestEvents.put("f4d/dir/x.jpg", upload("f4d/dir/x.jpg", jpeg(100, 100))))).isEqualTo(200);
        store.delete("images", "f4d/dir/x.jpg");

        assertThat(post(TestEvents.put("f4d/dir", upload("f4d/dir", jpeg(100, 100))))).isEqualTo(200);

        assertThat(record("f4d/dir").state()).isEqualTo(JobState.SUCCEEDED);
    }
}
