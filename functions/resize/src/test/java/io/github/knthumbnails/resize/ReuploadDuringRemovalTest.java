package io.github.knthumbnails.resize;

import static io.github.knthumbnails.resize.ResizeIntegrationTests.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, finding 4, the removal's own race: the source is re-uploaded after the removal's HEAD and, before
 * the removal's deletes, another worker fully processes its create event. The deletes then wipe that work and
 * no further event comes; the removal must process the key's current version itself. A store wrapper does the
 * re-upload and the other worker's run inside the removal's first delete; the storage underneath is a real S3
 * server.
 */
class ReuploadDuringRemovalTest {

    private static final String KEY = "gone/cat.jpg";

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private final S3Settings s3 = new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL, S3TestServer.CREDENTIAL,
            "us-east-1");
    private final ResizeSettings settings = ResizeSettings.from(Map.of("MINIO_ENDPOINT",
            S3.endpoint().toString())::get);
    private final ObjectStore store = new ObjectStore(s3);

    private ResizeService service(ObjectStore objects) {
        return new ResizeService(settings, objects, new ImageEngine(settings.image())::render);
    }

    /** The removing worker's view of storage: the key is re-uploaded and processed during its first delete. */
    private final class ReuploadingStore extends ObjectStore {

        private String reuploaded;

        ReuploadingStore() {
            super(s3);
        }

        @Override
        public void delete(String bucket, String key) {
            if (reuploaded == null) {
                store.put("images", KEY, jpeg(90, 90), "image/jpeg", Map.of());
                reuploaded = store.stat("images", KEY).orElseThrow().eTag();
                assertThat(service(store).handle(TestEvents.put(KEY, reuploaded)))
                        .isEqualTo(ResizeService.Outcome.SUCCEEDED);
            }
            super.delete(bucket, key);
        }
    }

    @Test
    void aKeyReuploadedDuringItsRemovalEndsWithItsRenditionsAndASucceededRecord() {
        store.put("images", KEY, jpeg(160, 120), "image/jpeg", Map.of());
        String e1 = store.stat("images", KEY).orElseThrow().eTag();
        assertThat(service(store).handle(TestEvents.put(KEY, e1))).isEqualTo(ResizeService.Outcome.SUCCEEDED);
        store.delete("images", KEY);

        ReuploadingStore removing = new ReuploadingStore();
        service(removing).handle(TestEvents.removed(KEY));

        assertThat(removing.reuploaded).isNotNull().isNotEqualTo(e1);
        JobRecord job = new JobStore(store, "thumbnails").read("images", KEY).orElseThrow();
        assertThat(job.sourceETag()).isEqualTo(removing.reuploaded);
        assertThat(job.state()).isEqualTo(JobState.SUCCEEDED);
        String rendition = Layout.renditionKey(settings.renditions().get(0).name(), "images", KEY);
        assertThat(store.stat("thumbnails", rendition)).isPresent();
    }
}
