package io.github.knthumbnails.backfill;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.knthumbnails.backfill.Selection.Reason;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.StorageException;

/**
 * One backfill run over one upload bucket (issue 13): lists it in key order, reads each upload's job record, and
 * sends an S3 CloudEvent for each upload {@link Selection} picks. It only reads storage — a listing of the upload
 * bucket and a HEAD of each job record — so it never touches an upload; all it writes is events. An interrupted
 * run leaves nothing half done: run it again and it picks whatever is still out of date (an event sent but not yet
 * processed is sent again, which resize takes as a redelivery).
 */
public final class Backfill {

    private static final int PAGE = 1000;

    /**
     * What a run did.
     *
     * @param listed   uploads listed
     * @param selected uploads picked, per reason (in a dry run: what would be sent)
     * @param sent     events the sink accepted
     * @param skipped  uploads left alone: settled, or still processing
     * @param failed   uploads whose job record could not be read or whose event was not delivered
     * @param dryRun   whether events were only listed
     */
    public record Summary(long listed, Map<Reason, Long> selected, long sent, long skipped, long failed,
                          boolean dryRun) {

        /** Copies the map. */
        public Summary {
            selected = Map.copyOf(selected);
        }
    }

    /** Hears about each upload as the run goes. */
    public interface Listener {

        /** @param uploads how many uploads the bucket lists under the prefix (before the run; an estimate) */
        void started(long uploads);

        /**
         * @param upload the upload
         * @param reason why it was picked, or empty when it was left alone
         * @param error  why it failed (its record could not be read, or its event not delivered), or {@code null}
         */
        void done(ObjectInfo upload, Optional<Reason> reason, String error);
    }

    private final ObjectStore store;
    private final JobStore jobs;
    private final Selection selection;
    private final BackfillEvents events;
    private final EventSink sink;
    private final Clock clock;

    /**
     * @param store     the object store holding the uploads
     * @param jobs      the job records, in the thumbnails bucket
     * @param selection which uploads to pick
     * @param events    makes the events
     * @param sink      where to send them, or {@code null} for a dry run
     * @param clock     the time events carry and the stuck threshold is measured from
     */
    Backfill(ObjectStore store, JobStore jobs, Selection selection, BackfillEvents events, EventSink sink,
             Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.selection = selection;
        this.events = events;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Lists the uploads twice: once to tell the listener how many there are (the progress bar's total), once to
     * work through them. The first pass is one LIST per {@value #PAGE} keys, against a HEAD per key in the second.
     *
     * @param bucket   an upload bucket
     * @param prefix   only keys starting with this, {@code ""} for all
     * @param listener hears about each upload
     * @return what the run did
     * @throws StorageException     if the bucket cannot be listed (the run stops; nothing is lost)
     * @throws InterruptedException if interrupted; what was sent stays sent
     */
    public Summary run(String bucket, String prefix, Listener listener) throws InterruptedException {
        listener.started(uploads(bucket, prefix).count());
        Map<Reason, Long> selected = new EnumMap<>(Reason.class);
        long listed = 0;
        long sent = 0;
        long skipped = 0;
        long failed = 0;
        for (ObjectInfo upload : (Iterable<ObjectInfo>) uploads(bucket, prefix)::iterator) {
            listed++;
            Optional<JobRecord> record;
            try {
                record = jobs.read(upload.bucket(), upload.key());
            } catch (StorageException e) {
                failed++;
                listener.done(upload, Optional.empty(), "its job record cannot be read: " + e.getMessage());
                continue;
            }
            Optional<Reason> reason = selection.reason(upload, record, clock.instant());
            String error = null;
            if (reason.isEmpty()) {
                skipped++;
            } else {
                selected.merge(reason.get(), 1L, Long::sum);
                if (sink != null) {
                    try {
                        sink.send(events.created(upload, clock.instant()));
                        sent++;
                    } catch (EventSink.NotDeliveredException e) {
                        failed++;
                        error = e.getMessage();
                    }
                }
            }
            listener.done(upload, reason, error);
        }
        return new Summary(listed, selected, sent, skipped, failed, sink == null);
    }

    /** The bucket's objects under the prefix, in key order, a page of {@value #PAGE} listed when the last is used. */
    private Stream<ObjectInfo> uploads(String bucket, String prefix) {
        return Stream.iterate(store.list(bucket, prefix, null, PAGE), Objects::nonNull,
                        page -> page.more() && !page.objects().isEmpty() ? store.list(bucket, prefix,
                                page.objects().get(page.objects().size() - 1).key(), PAGE) : null)
                .flatMap(page -> page.objects().stream());
    }
}
