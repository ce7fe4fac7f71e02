package io.github.knthumbnails.resize;

import java.util.Optional;

import io.github.knthumbnails.image.RenditionSpec;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles a removal event ({@code ObjectRemoved:*}, {@link io.github.knthumbnails.events.S3EventNames#removesContent}):
 * deletes the removed key's renditions and job record from the thumbnails bucket.
 *
 * <p>Why (issue 8, finding 4): a derived object left behind for a deleted key {@code dir} blocks every later
 * source under {@code dir/}, because MinIO and the local filesystem back end cannot hold {@code jobs/images/dir}
 * and {@code jobs/images/dir/x.jpg} at once. The event itself is not trusted (anyone in the cluster can POST
 * one, finding 6): the source is confirmed gone with a HEAD first, and if the key exists again — re-uploaded
 * since, or the removal forged — nothing is deleted. A re-upload can also land between that HEAD and the deletes,
 * and its create event can be fully processed in that gap; the deletes would then leave it without renditions or
 * job record, {@code pending} for ever, since no further event comes. So the source is HEADed again after the
 * deletes, and if it exists its current version is processed here ({@link JobRunner}). Only the thumbnails bucket
 * is ever written; the upload bucket is only read.
 */
final class Removals {

    private static final Logger log = LoggerFactory.getLogger(Removals.class);

    private final ResizeSettings settings;
    private final ObjectStore store;
    private final JobStore jobs;
    private final JobRunner runner;

    /**
     * @param runner processes a source that exists again after the deletes
     */
    Removals(ResizeSettings settings, ObjectStore store, JobStore jobs, JobRunner runner) {
        this.settings = settings;
        this.store = store;
        this.jobs = jobs;
        this.runner = runner;
    }

    /**
     * @param bucket the source bucket (a watched upload bucket)
     * @param key    the removed key
     * @return {@link ResizeService.Outcome#REMOVED}; {@link ResizeService.Outcome#IGNORED} if the key exists
     * before the deletes; if it exists only after them (re-uploaded meanwhile), the outcome of processing its
     * current version ({@link JobRunner#run})
     * @throws io.github.knthumbnails.storage.StorageException if storage failed; retrying may help
     */
    ResizeService.Outcome handle(String bucket, String key) {
        Optional<ObjectInfo> source = store.stat(bucket, key);
        if (source.isPresent()) {
            log.info("removal of {}/{} ignored: the key exists (etag={}), its renditions stay", bucket, key,
                    source.get().eTag());
            return ResizeService.Outcome.IGNORED;
        }
        String thumbnails = settings.buckets().thumbnails();
        for (RenditionSpec spec : settings.renditions()) {
            store.delete(thumbnails, Layout.renditionKey(spec.name(), bucket, key));
        }
        jobs.delete(bucket, key);
        Optional<ObjectInfo> again = store.stat(bucket, key);
        if (again.isPresent()) {
            log.info("{}/{} re-uploaded (etag={}) while its renditions were deleted: processing it again", bucket,
                    key, again.get().eTag());
            return runner.run(bucket, key, null);
        }
        log.info("removed {}/{}: deleted its renditions and job record from {}", bucket, key, thumbnails);
        return ResizeService.Outcome.REMOVED;
    }
}
