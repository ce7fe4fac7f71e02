package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A HEAD racing a PUT of the same key sees one version's metadata, never a mix. The mix is what S3Proxy's
 * filesystem back end alone gives (names of one version, values of the next); it once made a job record read
 * {@code succeeded} without its renditions, or fail with a 500 on an attribute that vanished under it.
 */
class PerKeyLockingBlobStoreTest {

    private static final int READS = 20_000;

    @TempDir
    Path root;

    @Test
    void aReadRacingAWriteSeesExactlyOneVersionsMetadata() throws Exception {
        BlobStore store = new PerKeyLockingBlobStore(new FilesystemNio2BlobStore(root.toString()));
        store.createContainer("thumbnails");
        // Like a job record going from processing (one entry) to succeeded (two entries).
        Map<String, String> first = Map.of("status", "processing");
        Map<String, String> second = Map.of("status", "succeeded", "rendition-thumb", "100x100");
        put(store, first);

        AtomicBoolean reading = new AtomicBoolean(true);
        CompletableFuture<Integer> writes = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (reading.get()) {
                put(store, n++ % 2 == 0 ? second : first);
            }
            return n;
        });
        int mixed = 0;
        try {
            for (int i = 0; i < READS; i++) {
                try {
                    Map<String, String> seen = store.blobMetadata("thumbnails", "jobs/images/cat.jpg").metadata();
                    if (!seen.equals(first) && !seen.equals(second)) {
                        mixed++;
                    }
                } catch (RuntimeException e) {
                    // The back end alone also fails outright: an attribute listed in one version is gone in the next.
                    mixed++;
                }
            }
        } finally {
            reading.set(false);
        }
        assertThat(writes.get()).as("writes during the reads").isPositive();
        assertThat(mixed).as("reads that saw a mix of two versions, or failed").isZero();
    }

    private static void put(BlobStore store, Map<String, String> metadata) {
        byte[] empty = new byte[0];
        store.putBlob(PutObjectRequest.builder().bucket("thumbnails").key("jobs/images/cat.jpg")
                .contentLength(0L).metadata(metadata).build(), new ByteArrayInputStream(empty));
    }
}
