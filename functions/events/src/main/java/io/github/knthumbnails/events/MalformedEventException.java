package io.github.knthumbnails.events;

/**
 * Thrown when a MinIO webhook body or a CloudEvent cannot be understood. The message says what was wrong in
 * words a sender can act on; HTTP adapters answer it with {@code 400 Bad Request} (never retried by MinIO's
 * queue nor by a Knative Broker, see knative/specs {@code specs/eventing/data-plane.md}).
 */
public class MalformedEventException extends RuntimeException {

    /**
     * @param message what was wrong, e.g. {@code "Records[0].s3.bucket.name is missing"}
     */
    public MalformedEventException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause   the parser's own exception
     */
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
