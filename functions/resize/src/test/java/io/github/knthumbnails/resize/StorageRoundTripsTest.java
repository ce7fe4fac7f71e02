package io.github.knthumbnails.resize;

import static io.github.knthumbnails.resize.ResizeIntegrationTests.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9, part 3: the S3 requests one job makes, as the embedded S3 server received them, for the real resize
 * code with the default {@code RENDITIONS} (one rendition). A request added on this path makes every job slower,
 * so the list is asserted exactly; each entry says why it is there.
 */
class StorageRoundTripsTest {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private final ResizeSettings settings = ResizeSettings.from(Map.of("MINIO_ENDPOINT",
            S3.endpoint().toString())::get);
    private final ObjectStore store = new ObjectStore(settings.s3());
    private final ResizeService service = new ResizeService(settings, store,
            new ImageEngine(settings.image())::render);

    private String upload(String key) {
        store.put("images", key, jpeg(640, 480), "image/jpeg", Map.of());
        String eTag = store.stat("images", key).orElseThrow().eTag();
        S3.clearRequests();
        return eTag;
    }

    @Test
    void aNewUploadTakesSixRequests() {
        String eTag = upload("trips/cat.jpg");

        assertThat(service.handle(TestEvents.put("trips/cat.jpg", eTag))).isEqualTo(ResizeService.Outcome.SUCCEEDED);

        assertThat(S3.requests()).map(Object::toString).containsExactly(
                "HEAD /thumbnails/jobs/images/trips/cat.jpg",              // a final record? then nothing to do
                "GET /images/trips/cat.jpg If-Match",                      // the bytes of the announced ETag only
                "PUT /thumbnails/jobs/images/trips/cat.jpg",               // processing (while the engine renders)
                "PUT /thumbnails/renditions/thumb/images/trips/cat.jpg",   // the rendition
                "PUT /thumbnails/jobs/images/trips/cat.jpg",               // succeeded
                "HEAD /images/trips/cat.jpg");                             // overwritten meanwhile? follow it
        assertThat(new JobStore(store, "thumbnails").read("images", "trips/cat.jpg").orElseThrow().state())
                .isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aRedeliveryOfAFinishedJobTakesTwo() {
        String eTag = upload("trips/twice.jpg");
        service.handle(TestEvents.put("trips/twice.jpg", eTag));
        S3.clearRequests();

        assertThat(service.handle(TestEvents.put("trips/twice.jpg", eTag)))
                .isEqualTo(ResizeService.Outcome.SUCCEEDED);

        assertThat(S3.requests()).map(Object::toString).containsExactly(
                "HEAD /thumbnails/jobs/images/trips/twice.jpg",
                "HEAD /images/trips/twice.jpg");
    }

    /** The client is configured with its region: no GetBucketLocation ({@code ?location}) ever. */
    @Test
    void noRequestAsksForABucketsRegion() {
        String eTag = upload("trips/region.jpg");

        service.handle(TestEvents.put("trips/region.jpg", eTag));

        assertThat(S3.requests()).map(r -> r.query() == null ? "" : r.query()).noneMatch(q -> q.contains("location"));
        assertThat(S3.requests()).map(S3TestServer.S3Request::method).isSubsetOf(List.of("HEAD", "GET", "PUT"));
    }
}
