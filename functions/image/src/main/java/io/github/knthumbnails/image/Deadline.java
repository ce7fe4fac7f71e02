package io.github.knthumbnails.image;

import java.util.function.LongSupplier;

import javax.imageio.IIOException;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/**
 * One render's time budget, {@code IMAGE_DEADLINE_MS} (issue 8, finding 3). The engine checks it between pipeline
 * stages (decode, each rendition's resize and encode); {@link SourceStream} also checks it while an ImageIO reader
 * pulls bytes, so a pure-Java decoder stops mid-image. libjpeg-turbo's decode cannot be interrupted: admission
 * bounds it (pixels, scans, coefficient bytes).
 *
 * <p>Time spent depends on the node as much as on the input (an ordinary image overruns on a CPU-starved node),
 * so an overrun is {@code deadline_exceeded}, not {@code too_large}: the job is recorded {@code failed} at once
 * and the event acknowledged, but the record is not final, so a redelivery, a re-upload of the same bytes or a
 * backfill renders it again (issue 8: no upload can be failed for good). Only admission decides {@code too_large}.
 */
final class Deadline {

    private final LongSupplier nanoClock;
    private final long start;
    private final long limitMs;
    private final String format;

    /**
     * @param nanoClock the time in nanoseconds, e.g. {@code System::nanoTime}
     * @param start     when the render started, on {@code nanoClock}
     * @param limitMs   the budget in milliseconds
     * @param format    the source's format, for the message
     */
    Deadline(LongSupplier nanoClock, long start, long limitMs, SourceHeader.Format format) {
        this.nanoClock = nanoClock;
        this.start = start;
        this.limitMs = limitMs;
        this.format = format.name();
    }

    /** @return milliseconds since the render started */
    long elapsedMs() {
        return (nanoClock.getAsLong() - start) / 1_000_000;
    }

    /** @return whether the budget is spent */
    boolean passed() {
        return elapsedMs() > limitMs;
    }

    /**
     * @param stage what has just finished, e.g. {@code decoding}
     * @throws ImageRejectedException {@code deadline_exceeded} once the budget is spent
     */
    void check(String stage) throws ImageRejectedException {
        long ms = elapsedMs();
        if (ms > limitMs) {
            throw new ImageRejectedException(Reason.DEADLINE_EXCEEDED, "the " + format + " image took longer than " + limitMs
                    + " ms (" + ImageLimits.IMAGE_DEADLINE_MS + "): " + ms + " ms by the end of " + stage);
        }
    }

    /**
     * Turns a reader's failure caused by {@link Passed} (perhaps wrapped) into the deadline's verdict.
     *
     * @param failure what a decoder threw
     * @throws ImageRejectedException {@code deadline_exceeded} when {@code failure} comes from the deadline
     */
    void checkIfCause(Throwable failure) throws ImageRejectedException {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Passed) {
                check("decoding (stopped mid-image)");
            }
        }
    }

    /** Thrown by {@link SourceStream} into a reader when the budget is spent mid-decode. */
    static final class Passed extends IIOException {
        Passed() {
            super("the deadline passed while decoding");
        }
    }
}
