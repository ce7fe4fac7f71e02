package io.github.knthumbnails.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStatus;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "what happened to my upload?" from object storage alone: a HEAD of the source and a HEAD of its job
 * record per upload, a LIST for pages of jobs, and locally signed links. No database, no state of its own.
 *
 * <p>One bad item does not fail an answer (issue 8, finding 4): when the job record of an upload cannot be read,
 * that upload is reported with status {@value #UNKNOWN} and an {@code error} saying why, and the answer is still
 * 200. A page of jobs is bounded (finding 9): its job-record HEADs run on one small executor shared by all
 * requests ({@link Limits#concurrency()} at a time per process), and items whose HEAD has not finished within
 * {@link Limits#timeBudget()} are reported {@value #UNKNOWN} with error class {@value #TIMEOUT}.
 */
public class StatusService implements AutoCloseable {

    /** The status of an upload whose job record could not be read; {@code error} says why. */
    public static final String UNKNOWN = "unknown";
    /** Error class of an unknown status: storage failed reading the job record. */
    public static final String STORAGE_ERROR = "storage_error";
    /** Error class of an unknown status: the job record was not read within the time budget. */
    public static final String TIMEOUT = "timeout";
    private static final Logger log = LoggerFactory.getLogger(StatusService.class);

    private final StatusSettings settings;
    private final Limits limits;
    private final ObjectStore store;
    private final JobStore jobs;
    private final ObjectStore linkSigner;
    private final ExecutorService heads;

    /**
     * Bounds on one {@code GET /jobs} request (issue 8, finding 9).
     *
     * @param maxLimit    the largest page a client may ask for ({@code JOBS_MAX_LIMIT}, default 100)
     * @param concurrency job-record HEADs in flight at once, per process, shared by all requests
     *                    ({@code JOBS_CONCURRENCY}, default 8)
     * @param timeBudget  how long one page may spend on its HEADs, queueing included ({@code JOBS_TIME_BUDGET_MS},
     *                    default 5000 ms)
     */
    public record Limits(int maxLimit, int concurrency, Duration timeBudget) {

        /** Environment variables read by {@link #from}. */
        public static final List<String> VARIABLES = List.of("JOBS_MAX_LIMIT", "JOBS_CONCURRENCY",
                "JOBS_TIME_BUDGET_MS");

        /**
         * @param env looks up a variable by name, {@code null} when unset
         * @return the limits, defaults filled in
         * @throws IllegalArgumentException naming the variable, if a value is not a whole number in range
         */
        public static Limits from(Function<String, String> env) {
            return new Limits(number(env, "JOBS_MAX_LIMIT", 100, 1000), number(env, "JOBS_CONCURRENCY", 8, 64),
                    Duration.ofMillis(number(env, "JOBS_TIME_BUDGET_MS", 5000, 60_000)));
        }

        private static int number(Function<String, String> env, String name, int fallback, int max) {
            String value = env.apply(name);
            try {
                int n = value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
                if (n >= 1 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number from 1 to " + max + ", got '"
                    + value + "'");
        }
    }

    /**
     * @param settings   configuration
     * @param limits     bounds on {@code GET /jobs}
     * @param store      object storage, as the function reaches it
     * @param linkSigner signs rendition links for {@link StatusSettings#publicEndpoint()} (makes no requests)
     */
    public StatusService(StatusSettings settings, Limits limits, ObjectStore store, ObjectStore linkSigner) {
        this.settings = settings;
        this.limits = limits;
        this.store = store;
        this.jobs = new JobStore(store, settings.buckets().thumbnails());
        this.linkSigner = linkSigner;
        AtomicInteger threads = new AtomicInteger();
        this.heads = Executors.newFixedThreadPool(limits.concurrency(), task -> {
            Thread thread = new Thread(task, "jobs-head-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return the bounds on {@code GET /jobs} */
    public Limits limits() {
        return limits;
    }

    /**
     * @param bucket an upload bucket
     * @param key    an object key
     * @return the status of the job for the object's current version ({@value #UNKNOWN} with an error if its
     *     record cannot be read); empty if the object does not exist
     * @throws StorageException if storage cannot be asked about the source object
     */
    public Optional<JobView> status(String bucket, String key) {
        return store.stat(bucket, key).map(this::view);
    }

    /**
     * The jobs of a few named keys, their HEADs on the same bounded executor as {@link #jobs} (the page's followed
     * uploads, issue 12).
     *
     * @param bucket an upload bucket
     * @param keys   object keys, at most a handful
     * @return the jobs of the keys that exist, in the order given; a key whose HEADs did not finish within
     *     {@link Limits#timeBudget()} is left out (the page asks again on its next refresh)
     * @throws StorageException if storage cannot be asked about a source object
     */
    public List<JobView> statuses(String bucket, List<String> keys) {
        List<Callable<Optional<JobView>>> tasks = keys.stream()
                .<Callable<Optional<JobView>>>map(key -> () -> status(bucket, key)).toList();
        List<JobView> views = new ArrayList<>();
        try {
            for (Future<Optional<JobView>> future : heads.invokeAll(tasks, limits.timeBudget().toMillis(),
                    TimeUnit.MILLISECONDS)) {
                if (!future.isCancelled()) {
                    future.get().ifPresent(views::add);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while reading job records", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new StorageException("reading a job failed", e.getCause());
        }
        return views;
    }

    /**
     * One page of jobs: the current version of each object under a prefix, in key order.
     *
     * @param bucket     an upload bucket
     * @param prefix     key prefix, {@code ""} for all
     * @param startAfter continue after this key, or {@code null} from the start
     * @param limit      1 to {@link Limits#maxLimit()} jobs
     * @return the jobs, and the last key when more follow
     * @throws StorageException if the listing fails
     */
    public Page jobs(String bucket, String prefix, String startAfter, int limit) {
        ObjectStore.Page page = store.list(bucket, prefix, startAfter, limit);
        List<Callable<JobView>> tasks = page.objects().stream().<Callable<JobView>>map(o -> () -> view(o)).toList();
        List<Future<JobView>> futures;
        try {
            futures = heads.invokeAll(tasks, limits.timeBudget().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while reading job records", e);
        }
        List<JobView> views = new ArrayList<>(futures.size());
        for (int i = 0; i < futures.size(); i++) {
            views.add(result(futures.get(i), page.objects().get(i)));
        }
        return new Page(views, page.more() && !views.isEmpty() ? views.get(views.size() - 1).key() : null);
    }

    private JobView result(Future<JobView> future, ObjectInfo source) {
        try {
            return future.get();
        } catch (CancellationException e) {
            log.warn("job record of {}/{} not read within {} ms", source.bucket(), source.key(),
                    limits.timeBudget().toMillis());
            return unknown(source, TIMEOUT, "the job record was not read within the time budget of "
                    + limits.timeBudget().toMillis() + " ms; ask again");
        } catch (ExecutionException e) {
            return unknown(source, STORAGE_ERROR, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(source, TIMEOUT, "interrupted");
        }
    }

    /**
     * @param jobs    the jobs of this page
     * @param lastKey the key to continue after; {@code null} on the last page
     */
    public record Page(List<JobView> jobs, String lastKey) {
    }

    /** Stops the HEAD executor (Spring calls it when the context closes). */
    @Override
    public void close() {
        heads.shutdownNow();
    }

    private JobView view(ObjectInfo source) {
        Optional<JobRecord> record;
        try {
            record = jobs.read(source.bucket(), source.key());
        } catch (StorageException e) {
            log.warn("job record of {}/{} unreadable: {}", source.bucket(), source.key(), e.getMessage());
            return unknown(source, STORAGE_ERROR, e.getMessage());
        }
        JobStatus status = JobStatus.derive(source, record);
        JobRecord current = status.record().orElse(null);
        List<JobView.RenditionView> renditions = current == null || current.renditions().isEmpty() ? null
                : current.renditions().stream().map(r -> link(source, r)).toList();
        JobView.ErrorView error = current == null || current.error() == null ? null
                : new JobView.ErrorView(current.error().errorClass(), current.error().message());
        return new JobView(source.bucket(), source.key(), source.eTag(), source.size(), source.contentType(),
                status.state().wireName(), source.lastModified(), current == null ? null : current.started(),
                current == null ? null : current.finished(), renditions, error,
                current == null ? null : current.traceId(),
                current == null || current.timingsMs().isEmpty() ? null : current.timingsMs(),
                current == null ? null : current.source());
    }

    private static JobView unknown(ObjectInfo source, String errorClass, String message) {
        return new JobView(source.bucket(), source.key(), source.eTag(), source.size(), source.contentType(),
                UNKNOWN, source.lastModified(), null, null, null, new JobView.ErrorView(errorClass, message), null,
                null, null);
    }

    private JobView.RenditionView link(ObjectInfo source, RenditionInfo rendition) {
        String bucket = settings.buckets().thumbnails();
        String key = Layout.renditionKey(rendition.name(), source.bucket(), source.key());
        Instant expires = Instant.now().plus(settings.linkExpiry()).truncatedTo(ChronoUnit.SECONDS);
        return new JobView.RenditionView(rendition.name(), rendition.width(), rendition.height(),
                rendition.contentType(), rendition.bytes(), rendition.spec(), bucket, key,
                linkSigner.presignGet(bucket, key, settings.linkExpiry()), expires);
    }
}
