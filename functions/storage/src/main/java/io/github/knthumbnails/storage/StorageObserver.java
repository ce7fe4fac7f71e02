package io.github.knthumbnails.storage;

import java.util.function.Supplier;

/**
 * Wraps every request {@link ObjectStore} makes, so that a caller can time and trace it (issue 11: the MinIO SDK
 * is not instrumented, so storage spans and timers are made around our adapter). The storage library itself
 * knows nothing of tracing or metrics.
 */
public interface StorageObserver {

    /** Observes nothing: runs the call as it is. */
    StorageObserver NONE = new StorageObserver() {
        @Override
        public <T> T observe(String operation, String bucket, String key, Supplier<T> call) {
            return call.get();
        }
    };

    /**
     * Runs one storage request.
     *
     * @param operation the S3 API operation: {@code HeadObject}, {@code GetObject}, {@code PutObject},
     *                  {@code DeleteObject} or {@code ListObjects}
     * @param bucket    the bucket
     * @param key       the object key (for {@code ListObjects}, the prefix); never fit for a metric label
     * @param call      the request; an empty {@link java.util.Optional} result means "not there"
     * @param <T>       what the call returns
     * @return what the call returned
     * @throws RuntimeException as the call threw it ({@link StorageException} in particular), unchanged
     */
    <T> T observe(String operation, String bucket, String key, Supplier<T> call);
}
