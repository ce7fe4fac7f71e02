package io.github.knthumbnails.local;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Set;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3Proxy back end wrapper that turns successful writes into MinIO notifications, like a bucket configured
 * with {@code mc event add ALIAS/BUCKET ARN --event put,delete}.
 *
 * <p>Hooks (S3Proxy 4.1.0 {@code org.gaul.s3proxy.blobstore.BlobStore}), each firing only after the delegate
 * returned normally:
 * <ul>
 *   <li>{@code putBlob} → {@code s3:ObjectCreated:Put}, or {@code :Post} for a browser-form POST (see
 *       {@link #isBrowserFormPost()});</li>
 *   <li>{@code copyBlob} → {@code s3:ObjectCreated:Copy};</li>
 *   <li>{@code completeMultipartUpload} → {@code s3:ObjectCreated:CompleteMultipartUpload};</li>
 *   <li>{@code removeBlob(DeleteObjectRequest)} → {@code s3:ObjectRemoved:Delete}. {@code removeBlobs}
 *       (DeleteObjects) is deliberately not overridden: its default in {@code BlobStore} calls
 *       {@code removeBlob(DeleteObjectRequest)} once per key, and {@code ForwardingBlobStore} does not forward it,
 *       so multi-delete arrives here key by key. Overriding both would emit every delete twice.</li>
 * </ul>
 * S3Proxy's multipart bookkeeping objects ({@code .s3proxy-mpu-stub-<uploadId>}, written at initiate and removed
 * at complete/abort through this same wrapper) never produce events.
 *
 * <p>The hooks run on the S3 request thread: they make one metadata call on the delegate, build the JSON and hand
 * it to the {@link WebhookNotifier}, which persists it durably and delivers it on its own thread.
 *
 * <p>When the event cannot be queued (disk full, queue directory gone) the S3 request fails with
 * {@code 503 SlowDown} (issue 8, finding 11), so that the client — every S3 SDK retries a 503 — writes again and
 * the retry queues the event; answering 200 would leave the upload {@code pending} for ever. The object itself
 * has been written by then and is kept: deleting it would destroy the user's data (and, for an overwrite, the
 * previous version is already gone), and queueing before the write cannot work because the event carries the
 * stored object's ETag and size. So a client that gives up after the 503 leaves an object without an event; the
 * error it saw says so, and uploading it again fixes it. A delete that cannot be queued fails the same way,
 * though a retried DELETE finds nothing left to delete and sends no event.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

    /** S3Proxy's {@code S3ProxyHandler.MULTIPART_STUB_PREFIX} (private in 4.1.0). */
    static final String MULTIPART_STUB_PREFIX = ".s3proxy-mpu-stub-";

    private static final System.Logger LOG = System.getLogger(NotifyingBlobStore.class.getName());
    private static final StackWalker STACK = StackWalker.getInstance();
    private static final int POST_LOOKUP_DEPTH = 16;

    private final Set<String> notifyBuckets;
    private final WebhookNotifier notifier;
    private volatile MinioEvents events;

    NotifyingBlobStore(BlobStore delegate, Set<String> notifyBuckets, WebhookNotifier notifier, MinioEvents events) {
        super(delegate);
        this.notifyBuckets = Set.copyOf(notifyBuckets);
        this.notifier = notifier;
        this.events = events;
    }

    /** Replaces the record builder, once the server's real port (and so its origin endpoint) is known. */
    void events(MinioEvents events) {
        this.events = events;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
        PutObjectResponse response = super.putBlob(request, payload);
        if (watched(request.bucket(), request.key())) {
            objectCreated(isBrowserFormPost() ? MinioEvents.POST : MinioEvents.PUT, request.bucket(), request.key());
        }
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        if (watched(request.destinationBucket(), request.destinationKey())) {
            objectCreated(MinioEvents.COPY, request.destinationBucket(), request.destinationKey());
        }
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload mpu,
                                                                   CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(mpu, request);
        if (watched(mpu.containerName(), mpu.blobName())) {
            objectCreated(MinioEvents.COMPLETE_MULTIPART_UPLOAD, mpu.containerName(), mpu.blobName());
        }
        return response;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        String bucket = request.bucket();
        String key = request.key();
        // Deleting a key that does not exist succeeds in S3 but is no s3:ObjectRemoved:Delete in MinIO (older
        // releases send nothing, newer ones s3:ObjectRemoved:NoOP, which "--event delete" does not subscribe to:
        // cmd/object-handlers.go DeleteObjectHandler), so look first.
        boolean existed = watched(bucket, key) && delegate().blobMetadataIfPresent(bucket, key) != null;
        DeleteObjectResponse response = super.removeBlob(request);
        if (existed) {
            emit(MinioEvents.DELETE, bucket, key, null);
        }
        return response;
    }

    private boolean watched(String bucket, String key) {
        return notifyBuckets.contains(bucket) && !key.startsWith(MULTIPART_STUB_PREFIX);
    }

    private void objectCreated(String eventName, String bucket, String key) {
        HeadObjectResponse head;
        try {
            head = delegate().blobMetadata(bucket, key);
        } catch (RuntimeException e) {
            // Removed again between the write and this call: MinIO would still report the write, but there is
            // no state left to describe, and the delete that follows gets its own event.
            LOG.log(System.Logger.Level.WARNING, "No " + eventName + " event for " + bucket + "/" + key
                    + ": the object is gone right after the write (" + e + ")");
            return;
        }
        emit(eventName, bucket, key, MinioEvents.ObjectState.of(head));
    }

    /**
     * Queues the event.
     *
     * @throws S3Exception {@code 503 SlowDown} when it cannot be queued, which S3Proxy answers to the client
     */
    private void emit(String eventName, String bucket, String key, MinioEvents.ObjectState object) {
        try {
            notifier.submit(events.webhookBody(eventName, bucket, key, object, Instant.now()));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "No " + eventName + " event for " + bucket + "/" + key
                    + ": could not queue it in " + notifier.queueDir() + "; answering 503 so the client retries", e);
            throw (S3Exception) S3Exception.builder().statusCode(503).message(e.toString())
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").errorMessage("the "
                            + eventName + " event for " + bucket + "/" + key + " could not be queued (" + e
                            + "); the object is stored, send the request again").build()).build();
        }
    }

    /**
     * Whether the current {@code putBlob} serves a browser-form POST Object request.
     *
     * <p>S3Proxy 4.1.0 calls the same {@code putBlob(PutObjectRequest, InputStream)} for PUT Object and for POST
     * Object, and neither the request (bucket, key, content type and length, metadata) nor the stream type tells
     * them apart: POST passes a {@code ByteArrayInputStream}, but so does PUT for signed-payload and
     * unknown-length uploads. The one reliable sign is the caller: only {@code S3ProxyHandler.handlePostBlob}
     * serves POST Object, so look for that (private) method a few frames up the stack. If a later S3Proxy renames
     * it, this answers {@code false} and POST uploads are reported as {@code s3:ObjectCreated:Put}.
     */
    static boolean isBrowserFormPost() {
        return STACK.walk(frames -> frames.limit(POST_LOOKUP_DEPTH).anyMatch(frame ->
                "handlePostBlob".equals(frame.getMethodName())
                        && "org.gaul.s3proxy.S3ProxyHandler".equals(frame.getClassName())));
    }
}
