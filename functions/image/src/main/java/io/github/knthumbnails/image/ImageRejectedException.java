package io.github.knthumbnails.image;

/**
 * A source that did not become a thumbnail: not an image, an unsupported format, corrupt or truncated, over a
 * limit, or a render past its deadline. Retrying the same delivery at once cannot help, so the resize function
 * records the job as {@code failed} and acknowledges the event (architecture page, "Failure semantics"). Every
 * reason but {@link Reason#DEADLINE_EXCEEDED} is about the bytes and makes that record final.
 */
public class ImageRejectedException extends Exception {

    /** The machine-readable failure classes. */
    public enum Reason {
        /** Not an image, or a format this engine cannot decode. */
        UNSUPPORTED_FORMAT,
        /** An image format we read, but the bytes are broken. */
        CORRUPT,
        /** Over {@code MAX_IMAGE_BYTES} or {@code MAX_IMAGE_PIXELS}, or another admission bound. */
        TOO_LARGE,
        /**
         * The render took longer than {@code IMAGE_DEADLINE_MS} ({@link Deadline} only). That may be the node
         * (CPU-starved) rather than the bytes, so the {@code failed} record it leads to is not final: a
         * redelivery, a re-upload of the same bytes or a backfill renders the image again (issue 8).
         */
        DEADLINE_EXCEEDED;

        /** @return the snake-case class recorded in the job, e.g. {@code unsupported_format} */
        public String errorClass() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    /**
     * @param reason  the failure class
     * @param message a readable sentence saying what is wrong with the file
     */
    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @param reason  the failure class
     * @param message a readable sentence
     * @param cause   the decoder's exception
     */
    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** @return the failure class */
    public Reason reason() {
        return reason;
    }
}
