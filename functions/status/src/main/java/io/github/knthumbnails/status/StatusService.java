package io.github.knthumbnails.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStatus;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;

/**
 * Answers "what happened to my upload?" from object storage alone: a HEAD of the source and a HEAD of its job
 * record per upload, a LIST for pages of jobs, and locally signed links. No database, no state of its own.
 */
public class StatusService {

    private final StatusSettings settings;
    private final ObjectStore store;
    private final JobStore jobs;
    private final ObjectStore linkSigner;

    /**
     * @param settings   configuration
     * @param store      object storage, as the function reaches it
     * @param linkSigner signs rendition links for {@link StatusSettings#publicEndpoint()} (makes no requests)
     */
    public StatusService(StatusSettings settings, ObjectStore store, ObjectStore linkSigner) {
        this.settings = settings;
        this.store = store;
        this.jobs = new JobStore(store, settings.buckets().thumbnails());
        this.linkSigner = linkSigner;
    }

    /**
     * @param bucket an upload bucket
     * @param key    an object key
     * @return the status of the job for the object's current version; empty if the object does not exist
     * @throws io.github.knthumbnails.storage.StorageException if storage cannot be asked
     */
    public Optional<JobView> status(String bucket, String key) {
        return store.stat(bucket, key).map(this::view);
    }

    /**
     * One page of jobs: the current version of each object under a prefix, in key order.
     *
     * @param bucket     an upload bucket
     * @param prefix     key prefix, {@code ""} for all
     * @param startAfter continue after this key, or {@code null} from the start
     * @param limit      1 to 100 jobs
     * @return the jobs, and the last key when more follow
     * @throws io.github.knthumbnails.storage.StorageException if storage cannot be asked
     */
    public Page jobs(String bucket, String prefix, String startAfter, int limit) {
        ObjectStore.Page page = store.list(bucket, prefix, startAfter, limit);
        List<JobView> jobs = page.objects().stream().map(this::view).toList();
        return new Page(jobs, page.more() && !jobs.isEmpty() ? jobs.get(jobs.size() - 1).key() : null);
    }

    /**
     * @param jobs    the jobs of this page
     * @param lastKey the key to continue after; {@code null} on the last page
     */
    public record Page(List<JobView> jobs, String lastKey) {
    }

    private JobView view(ObjectInfo source) {
        JobStatus status = JobStatus.derive(source, jobs.read(source.bucket(), source.key()));
        JobRecord current = status.record().orElse(null);
        List<JobView.RenditionView> renditions = current == null || current.renditions().isEmpty() ? null
                : current.renditions().stream().map(r -> link(source, r)).toList();
        JobView.ErrorView error = current == null || current.error() == null ? null
                : new JobView.ErrorView(current.error().errorClass(), current.error().message());
        return new JobView(source.bucket(), source.key(), source.eTag(), source.size(), source.contentType(),
                status.state().wireName(), source.lastModified(), current == null ? null : current.started(),
                current == null ? null : current.finished(), renditions, error);
    }

    private JobView.RenditionView link(ObjectInfo source, RenditionInfo rendition) {
        String bucket = settings.buckets().thumbnails();
        String key = Layout.renditionKey(rendition.name(), source.bucket(), source.key());
        Instant expires = Instant.now().plus(settings.linkExpiry()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new JobView.RenditionView(rendition.name(), rendition.width(), rendition.height(),
                rendition.contentType(), rendition.bytes(), bucket, key,
                linkSigner.presignGet(bucket, key, settings.linkExpiry()), expires);
    }
}
