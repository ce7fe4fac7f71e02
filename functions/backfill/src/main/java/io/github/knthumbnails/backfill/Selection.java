package io.github.knthumbnails.backfill;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;

/**
 * Which uploads the backfill sends an event for, and why (issue 13): exactly those whose job record does not
 * {@linkplain JobRecord#settles settle} the upload's current version under the current {@code RENDITIONS}, except
 * a {@code processing} record younger than the stuck threshold, which a worker is most likely still on, and a key
 * the pipeline cannot process at all ({@link Layout#isProcessable}: resize acknowledges its events without a
 * record, so sending it on every run would make no run a no-op).
 *
 * <p>The rule is resize's own ({@code JobRunner}): what resize would skip, the backfill skips; what it would
 * render again, the backfill sends. So sending is always safe, and a second run after the pipeline has caught up
 * sends nothing.
 */
public final class Selection {

    /** Why an upload is sent; its lower-case name is what the summary and {@code --dry-run} print. */
    public enum Reason {
        /** No job record at all: the event was lost, or the upload predates the pipeline. */
        MISSING,
        /** The record is about another ETag: the upload was overwritten and the new version never processed. */
        OTHER_VERSION,
        /** {@code failed} for a reason the engine did not decide, e.g. {@code delivery_failed} (never final). */
        NOT_FINAL,
        /** {@code processing} for longer than the stuck threshold: its worker died or its event was lost. */
        STUCK,
        /** {@code succeeded}, but its renditions were made by another {@code RENDITIONS}, or before specs were kept. */
        OTHER_PROFILE;

        /** @return e.g. {@code other_profile} */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<String, String> profile;
    private final Duration stuckAfter;

    /**
     * @param profile    the current rendition profile, rendition name to spec fingerprint
     *                   ({@link io.github.knthumbnails.image.RenditionSpec#profile})
     * @param stuckAfter how long a {@code processing} record may be before it counts as stuck; positive
     * @throws IllegalArgumentException if {@code stuckAfter} is not positive
     */
    public Selection(Map<String, String> profile, Duration stuckAfter) {
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("the stuck threshold must be positive, got " + stuckAfter);
        }
        this.profile = Map.copyOf(profile);
        this.stuckAfter = stuckAfter;
    }

    /**
     * @param upload the upload as the listing shows it (its current ETag)
     * @param record its job record, if any
     * @param now    the time the stuck threshold is measured from
     * @return why an event should be sent, or empty when the job is settled or still under way, or the key cannot be
     *         processed
     */
    public Optional<Reason> reason(ObjectInfo upload, Optional<JobRecord> record, Instant now) {
        if (!Layout.isProcessable(upload.bucket(), upload.key(), profile.keySet())) {
            return Optional.empty();
        }
        if (record.isEmpty()) {
            return Optional.of(Reason.MISSING);
        }
        JobRecord job = record.get();
        if (!job.sourceETag().equals(upload.eTag())) {
            return Optional.of(Reason.OTHER_VERSION);
        }
        if (job.settles(upload.eTag(), profile)) {
            return Optional.empty();
        }
        if (job.state() == JobState.PROCESSING) {
            return job.started().plus(stuckAfter).isBefore(now) ? Optional.of(Reason.STUCK) : Optional.empty();
        }
        return Optional.of(job.state() == JobState.SUCCEEDED ? Reason.OTHER_PROFILE : Reason.NOT_FINAL);
    }
}
