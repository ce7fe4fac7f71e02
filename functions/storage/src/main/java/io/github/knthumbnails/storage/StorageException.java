package io.github.knthumbnails.storage;

/**
 * Object storage could not do what was asked: unreachable, timed out, answered 5xx, refused the credentials, or
 * a bucket is missing. Callers treat it as <em>transient</em>: the resize function answers 5xx so the Broker
 * retries with backoff and, once retries are exhausted, hands the event to the dead-letter sink (architecture
 * page, "Failure semantics"); the status function answers 503.
 */
public class StorageException extends RuntimeException {

    /**
     * @param message what was being done, e.g. {@code "GET images/cat.jpg"}, and what went wrong
     * @param cause   the client's exception
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
