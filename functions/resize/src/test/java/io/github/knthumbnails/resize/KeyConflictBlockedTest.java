package io.github.knthumbnails.resize;

import static io.github.knthumbnails.resize.ResizeIntegrationTests.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 8, finding 4: a conflict that can never go away is a permanent failure, not a retry for ever. Neither
 * MinIO nor the local stack can hold sources {@code dir} and {@code dir/x.jpg} at once, but an upload store that
 * can (AWS S3) makes {@code dir}'s job record block {@code dir/x.jpg}'s for good. The store wrapper plays such an
 * upload store by reporting {@code dir} as existing; everything else is a real S3 server.
 */
class KeyConflictBlockedTest {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private final S3Settings s3 = new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL, S3TestServer.CREDENTIAL,
            "us-east-1");
    private final ResizeSettings settings = ResizeSettings.from(Map.of("MINIO_ENDPOINT",
            S3.endpoint().toString())::get);

    @Test
    void aDerivedObjectOfAnExistingSourceInTheWayIsAcknowledgedNotRetriedAndLeftAlone() {
        ObjectStore store = new ObjectStore(s3) {
            @Override
            public Optional<ObjectInfo> stat(String bucket, String key) {
                return bucket.equals("images") && key.equals("both/dir")
                        ? Optional.of(new ObjectInfo(bucket, key, "e0", 1, "image/jpeg", Instant.now(), Map.of()))
                        : super.stat(bucket, key);
            }
        };
        store.put("thumbnails", "jobs/images/both/dir", new byte[0], "application/octet-stream", Map.of());
        store.put("images", "both/dir/x.jpg", jpeg(80, 80), "image/jpeg", Map.of());
        String eTag = store.stat("images", "both/dir/x.jpg").orElseThrow().eTag();
        ResizeService service = new ResizeService(settings, store, new ImageEngine(settings.image())::render);

        ResizeService.Outcome outcome = service.handle(TestEvents.put("both/dir/x.jpg", eTag));

        assertThat(outcome).isEqualTo(ResizeService.Outcome.FAILED);
        assertThat(store.stat("thumbnails", "jobs/images/both/dir")).isPresent();
    }
}
