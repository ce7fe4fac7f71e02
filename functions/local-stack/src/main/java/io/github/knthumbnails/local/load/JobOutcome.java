package io.github.knthumbnails.local.load;

import java.time.Duration;
import java.time.Instant;

/**
 * What became of one upload of a load run.
 *
 * @param index       0-based position in the run (upload order)
 * @param key         the object key it was uploaded under
 * @param state       {@link State#SUCCEEDED}, {@link State#FAILED} or {@link State#LOST}
 * @param uploadStart the wall-clock instant just before its upload started (this machine's clock)
 * @param finished    the job record's {@code finished} instant (the resize function's clock, the same machine's);
 *                    {@code null} when lost or when the upload itself failed
 * @param errorClass  why it failed (status {@code error.class}, or {@value #UPLOAD_ERROR}); {@code null} otherwise
 */
public record JobOutcome(int index, String key, State state, Instant uploadStart, Instant finished,
                         String errorClass) {

    /** Error class of a job whose upload the S3 server did not accept: the pipeline never saw it. */
    public static final String UPLOAD_ERROR = "upload_error";

    /** The end of one job, as seen by the load tool. */
    public enum State {
        /** The status function said {@code succeeded}. */
        SUCCEEDED,
        /** The status function said {@code failed}, or the upload failed. */
        FAILED,
        /** Not terminal by the deadline. */
        LOST
    }

    /**
     * @return upload start to the job's recorded end, in milliseconds (fractional); {@code NaN} without an end
     */
    public double latencyMillis() {
        return finished == null ? Double.NaN : Duration.between(uploadStart, finished).toNanos() / 1e6;
    }
}
