package io.github.knthumbnails.resize;

import static io.github.knthumbnails.resize.ResizeIntegrationTests.jpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, finding 5, made deterministic: worker A reads version E1; the object is overwritten; worker B
 * finishes E2; A then writes {@code processing E1} over B's record and crashes. A's redelivery must leave E2
 * with a final record. A store wrapper does the overwrite and the crash at exactly those moments; the storage
 * underneath is a real S3 server.
 */
class OverwriteDuringProcessingTest {

    private static final String KEY = "race/cat.jpg";

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private final S3Settings s3 = new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL, S3TestServer.CREDENTIAL,
            "us-east-1");
    private final ResizeSettings settings = ResizeSettings.from(Map.of("MINIO_ENDPOINT",
            S3.endpoint().toString())::get);
    private final ObjectStore store = new ObjectStore(s3);
    private final ResizeService workerB = service(store);

    private ResizeService service(ObjectStore objects) {
        return new ResizeService(settings, objects, new ImageEngine(settings.image())::render);
    }

    /** Worker A's view of storage: the overwrite happens during its GET, it dies right after writing processing. */
    private final class WorkerAStore extends ObjectStore {

        private boolean overwritten;
        private boolean dead;

        WorkerAStore() {
            super(s3);
        }

        @Override
        public Optional<byte[]> getIfMatch(String bucket, String key, String eTag, long maxBytes) {
            alive();
            Optional<byte[]> bytes = super.getIfMatch(bucket, key, eTag, maxBytes);
            if (!overwritten) {
                overwritten = true;
                store.put("images", KEY, jpeg(90, 90), "image/jpeg", Map.of());
                String e2 = store.stat("images", KEY).orElseThrow().eTag();
                assertThat(workerB.handle(TestEvents.put(KEY, e2))).isEqualTo(ResizeService.Outcome.SUCCEEDED);
            }
            return bytes;
        }

        @Override
        public void put(String bucket, String key, byte[] body, String contentType, Map<String, String> metadata) {
            alive();
            super.put(bucket, key, body, contentType, metadata);
            if ("processing".equals(metadata.get("status"))) {
                dead = true;
            }
        }

        @Override
        public Optional<ObjectInfo> stat(String bucket, String key) {
            alive();
            return super.stat(bucket, key);
        }

        private void alive() {
            if (dead) {
                throw new IllegalStateException("worker A crashed");
            }
        }
    }

    @Test
    void theRedeliveryOfTheOverwrittenVersionLeavesTheCurrentOneFinished() {
        store.put("images", KEY, jpeg(160, 120), "image/jpeg", Map.of());
        String e1 = store.stat("images", KEY).orElseThrow().eTag();
        JobStore jobs = new JobStore(store, "thumbnails");

        assertThatThrownBy(() -> service(new WorkerAStore()).handle(TestEvents.put(KEY, e1)))
                .hasMessage("worker A crashed");
        JobRecord damage = jobs.read("images", KEY).orElseThrow();
        assertThat(damage.state()).isEqualTo(JobState.PROCESSING);
        assertThat(damage.sourceETag()).isEqualTo(e1);

        service(store).handle(TestEvents.put(KEY, e1));

        String e2 = store.stat("images", KEY).orElseThrow().eTag();
        JobRecord repaired = jobs.read("images", KEY).orElseThrow();
        assertThat(repaired.sourceETag()).isEqualTo(e2);
        assertThat(repaired.state()).isEqualTo(JobState.SUCCEEDED);
    }
}
