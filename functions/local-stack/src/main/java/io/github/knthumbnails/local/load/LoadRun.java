package io.github.knthumbnails.local.load;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;

/**
 * The engine of {@code scripts/load-local.sh}: uploads N photos to a running local stack with the MinIO SDK and
 * follows each job through the status function until it is terminal or lost.
 *
 * <p><b>Concurrency.</b> By default C uploads are in flight at once and nobody waits for the jobs (a burst, as
 * issue 9 measured: the pipeline's queue fills and throughput is the pipeline's capacity). With
 * {@link Settings#waitEach()} each of the C workers waits until its job is terminal before the next upload, so C is
 * the number of jobs in flight and C = 1 is one upload at a time.
 *
 * <p><b>Latency</b> is measured from the wall-clock instant just before an upload starts to the job record's
 * {@code finished} instant, which the status function returns with the resize function's nanosecond digits
 * ({@code Instant.now()}, microsecond resolution on Linux). Both clocks are this machine's, so there is no skew.
 * The record is written by one S3 PUT right after {@code finished} is taken, so the figure is early by that PUT
 * (about a millisecond on loopback) and otherwise exact; it does not depend on when the tool polls. Throughput uses
 * the same instants. A wall-clock step during the run (NTP) would shift the figures by the step.
 *
 * <p><b>Polling</b> is therefore gentle: one follower thread walks the uploaded, unfinished jobs oldest first, stops
 * at the first one not yet terminal, and sleeps {@link Settings#poll()} between walks; so each job costs about one
 * status request after it ends plus one per walk. One {@code GET /status} costs about 4-5 ms of CPU in the status
 * function and S3 server together on this 2-core machine, so polling every in-flight job at a high rate would take
 * CPU from the pipeline being measured.
 *
 * <p><b>Lost</b>: a job not terminal {@link Settings#deadline()} after the most recent upload finished. At that point
 * the follower asks about every remaining job once more, then records the rest as lost.
 *
 * <p>Only new keys {@code load/<run-id>/<00001>-<photo name>} are written; nothing is read, changed or deleted.
 */
public final class LoadRun {

    private final LoadTarget target;
    private final Settings settings;
    private final Progress progress;
    private final MinioClient s3;
    private final StatusProbe probe;
    private final ConcurrentSkipListMap<Integer, Uploaded> outstanding = new ConcurrentSkipListMap<>();
    private final AtomicReferenceArray<JobOutcome> outcomes;
    private final CountDownLatch ended;
    private final Semaphore slots;
    private final AtomicLong lastUploadNanos = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();

    /**
     * @param count       N uploads, at least 1
     * @param concurrency C uploads (or, with {@code waitEach}, jobs) in flight, at least 1
     * @param waitEach    whether a worker waits for its job to be terminal before its next upload
     * @param deadline    how long after the last upload a job may take before it counts as lost
     * @param poll        pause between two walks of the follower over the unfinished jobs
     */
    public record Settings(int count, int concurrency, boolean waitEach, Duration deadline, Duration poll) {

        /** @throws IllegalArgumentException if a number is below 1 or a duration not positive */
        public Settings {
            if (count < 1 || concurrency < 1) {
                throw new IllegalArgumentException("N and C must be at least 1, got N=" + count + " C=" + concurrency);
            }
            if (deadline.isNegative() || deadline.isZero() || poll.isNegative() || poll.isZero()) {
                throw new IllegalArgumentException("the deadline and the poll interval must be positive");
            }
        }
    }

    private record Uploaded(int index, String key, Instant start, String etag) {
    }

    /**
     * @param target   the running stack
     * @param settings N, C and the rest
     * @param progress told about each upload and each end
     */
    public LoadRun(LoadTarget target, Settings settings, Progress progress) {
        this.target = target;
        this.settings = settings;
        this.progress = progress;
        this.s3 = target.client();
        this.probe = new StatusProbe(HttpClient.newHttpClient(), target.status(), target.bucket());
        this.outcomes = new AtomicReferenceArray<>(settings.count());
        this.ended = new CountDownLatch(settings.count());
        this.slots = new Semaphore(settings.concurrency());
    }

    /**
     * Uploads photos[i mod photos.size()] for i in 0..N-1 and waits until every job is terminal or lost.
     *
     * @param photos the images to cycle through (JPEG or PNG files)
     * @param runId  unique per run; part of every key
     * @return one outcome per upload, in upload order
     * @throws InterruptedException if interrupted; uploads in flight are abandoned
     */
    public List<JobOutcome> run(List<Path> photos, String runId) throws InterruptedException {
        Thread follower = new Thread(this::follow, "load-follower");
        follower.setDaemon(true);
        follower.start();
        ExecutorService uploaders = Executors.newFixedThreadPool(settings.concurrency());
        try {
            for (int i = 0; i < settings.count(); i++) {
                slots.acquire();
                Path photo = photos.get(i % photos.size());
                String key = String.format(Locale.ROOT, "load/%s/%05d-%s", runId, i + 1, photo.getFileName());
                int index = i;
                uploaders.execute(() -> upload(index, key, photo));
            }
            ended.await();
        } finally {
            uploaders.shutdownNow();
            follower.interrupt();
        }
        List<JobOutcome> list = new ArrayList<>(settings.count());
        for (int i = 0; i < settings.count(); i++) {
            list.add(outcomes.get(i));
        }
        return list;
    }

    /** @return status requests made so far (each costs the pipeline's machine some CPU: see the class comment) */
    public long polls() {
        return polls.get();
    }

    private void upload(int index, String key, Path photo) {
        Instant start = Instant.now();
        try (InputStream in = Files.newInputStream(photo)) {
            String name = photo.getFileName().toString().toLowerCase(Locale.ROOT);
            String etag = s3.putObject(PutObjectArgs.builder().bucket(target.bucket()).object(key)
                    .stream(in, Files.size(photo), -1).contentType(name.endsWith(".png") ? "image/png" : "image/jpeg")
                    .build()).etag();
            outstanding.put(index, new Uploaded(index, key, start, etag.replace("\"", "")));
            lastUploadNanos.set(System.nanoTime());
            progress.uploaded();
        } catch (Exception e) {
            end(new JobOutcome(index, key, JobOutcome.State.FAILED, start, null, JobOutcome.UPLOAD_ERROR));
        } finally {
            if (!settings.waitEach()) {
                slots.release();
            }
        }
    }

    /** The follower: see the class comment. */
    private void follow() {
        try {
            while (ended.getCount() > 0) {
                long last = lastUploadNanos.get();
                boolean overdue = last != 0 && System.nanoTime() - last > settings.deadline().toNanos();
                for (Map.Entry<Integer, Uploaded> entry : outstanding.entrySet()) {
                    Uploaded job = entry.getValue();
                    Optional<StatusProbe.Answer> answer = probe.ask(job.key());
                    polls.incrementAndGet();
                    if (answer.isPresent() && answer.get().terminal() && answer.get().etag().equals(job.etag())) {
                        StatusProbe.Answer a = answer.get();
                        outstanding.remove(job.index());
                        end(new JobOutcome(job.index(), job.key(), a.status().equals("succeeded")
                                ? JobOutcome.State.SUCCEEDED : JobOutcome.State.FAILED, job.start(),
                                a.finished() != null ? a.finished() : Instant.now(), a.errorClass()));
                    } else if (overdue) {
                        outstanding.remove(job.index());
                        end(new JobOutcome(job.index(), job.key(), JobOutcome.State.LOST, job.start(), null, null));
                    } else {
                        break;
                    }
                }
                Thread.sleep(settings.poll().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void end(JobOutcome outcome) {
        outcomes.set(outcome.index(), outcome);
        progress.ended(outcome.state());
        ended.countDown();
        if (settings.waitEach()) {
            slots.release();
        }
    }
}
