package io.github.knthumbnails.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PostPolicy;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.http.Method;
import io.minio.messages.Item;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The few object-storage calls the pipeline makes, over the MinIO Java SDK. Nothing above this class sees
 * {@code io.minio} types or their checked exceptions: "not there" is an empty {@link Optional}, everything else
 * that goes wrong is a {@link StorageException} (transient by contract).
 *
 * <p>Thread-safe; create one per process. Not final so that tests can interpose on single calls (e.g. overwrite a
 * source at an exact moment, issue 8 finding 5); production code never subclasses it.
 */
public class ObjectStore {

    private static final long CONNECT_TIMEOUT_MS = 5_000;
    private static final long READ_WRITE_TIMEOUT_MS = 30_000;

    private final MinioClient client;
    private final StorageObserver observer;
    private final URI endpoint;

    /**
     * @param settings where and how to connect; no request is made until a method is called
     */
    public ObjectStore(S3Settings settings) {
        this(settings, StorageObserver.NONE);
    }

    /**
     * @param settings where and how to connect; no request is made until a method is called
     * @param observer wraps every request (spans and timers, issue 11); {@link StorageObserver#NONE} for none
     */
    public ObjectStore(S3Settings settings, StorageObserver observer) {
        this.client = client(settings);
        this.observer = observer;
        this.endpoint = settings.endpoint();
    }

    /**
     * The MinIO client every part of the project uses: region set (so the SDK never asks a bucket's location),
     * 5 s connect and 30 s read/write timeouts, and for a cleartext ({@code http}) endpoint no TLS set-up at all.
     *
     * @param settings where and how to connect; no request is made
     * @return a thread-safe client
     */
    public static MinioClient client(S3Settings settings) {
        MinioClient.Builder builder = MinioClient.builder()
                .endpoint(settings.endpoint().toString())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region());
        if ("http".equalsIgnoreCase(settings.endpoint().getScheme())) {
            // A cleartext endpoint never needs TLS, so its client is built without any: no trust store is read.
            // Not HttpUtils.newDefaultHttpClient: that one parses the whole CA bundle when SSL_CERT_FILE is set
            // (distroless sets it; 144 certificates, ~0.4 s of cold start, issue 10), and its `new OkHttpClient()`
            // loads the JDK's default trust store besides. Without TLS, the client the SDK derives for every PUT
            // (S3Base.executeAsync) also skips comparing the trust store (CertificatePinner, about a tenth of
            // resize's CPU per job, JFR, issue 9). Same settings as the SDK's default otherwise: HTTP/1.1.
            builder.httpClient(new OkHttpClient.Builder()
                    .connectTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .writeTimeout(READ_WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .readTimeout(READ_WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .protocols(List.of(Protocol.HTTP_1_1))
                    .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                    .build());
        }
        // An https endpoint keeps the SDK's own client: it trusts exactly what SSL_CERT_FILE names when set (the
        // JDK's trust store otherwise), parsed here, once per client.
        MinioClient client = builder.build();
        client.setTimeout(CONNECT_TIMEOUT_MS, READ_WRITE_TIMEOUT_MS, READ_WRITE_TIMEOUT_MS);
        return client;
    }

    /**
     * HEAD of one object.
     *
     * @param bucket bucket name
     * @param key    object key
     * @return what the server says about it; empty if the object (or the bucket) does not exist
     * @throws StorageException if the server cannot be asked or refuses
     */
    public Optional<ObjectInfo> stat(String bucket, String key) {
        return observer.observe("HeadObject", bucket, key, () -> statObject(bucket, key));
    }

    private Optional<ObjectInfo> statObject(String bucket, String key) {
        try {
            StatObjectResponse r = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return Optional.of(new ObjectInfo(bucket, key, unquote(r.etag()), r.size(), r.contentType(),
                    r.lastModified().toInstant(), r.userMetadata()));
        } catch (ErrorResponseException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("HEAD", bucket, key, e);
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw failure("HEAD", bucket, key, e);
        }
    }

    /**
     * Reads a whole object, but only the version with the given ETag (an {@code If-Match} GET, RFC 9110 §13.1.1).
     * The ETag of the response is compared too, so a server that ignored {@code If-Match} cannot hand over another
     * version: what is returned is what storage confirmed for {@code eTag} (issue 8, finding 6). The size limit is
     * applied to the bytes actually read, never to a size announced elsewhere.
     *
     * @param bucket   bucket name
     * @param key      object key
     * @param eTag     the expected ETag without quotes
     * @param maxBytes the most bytes to accept; a larger object is read only that far
     * @return the object's bytes; empty if the object is gone or now has another ETag (it was overwritten)
     * @throws StorageException     if the server cannot be asked or refuses
     * @throws TooLargeException    if the object holds more than {@code maxBytes}
     */
    public Optional<byte[]> getIfMatch(String bucket, String key, String eTag, long maxBytes) {
        return observer.observe("GetObject", bucket, key, () -> getObject(bucket, key, eTag, maxBytes));
    }

    private Optional<byte[]> getObject(String bucket, String key, String eTag, long maxBytes) {
        GetObjectArgs args = GetObjectArgs.builder().bucket(bucket).object(key).matchETag(eTag).build();
        try (GetObjectResponse in = client.getObject(args)) {
            String served = unquote(in.headers().get("ETag"));
            if (served != null && !served.equals(eTag)) {
                return Optional.empty();
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            return Optional.of(bytes);
        } catch (ErrorResponseException e) {
            if (isNotFound(e) || "PreconditionFailed".equals(e.errorResponse().code())) {
                return Optional.empty();
            }
            throw failure("GET", bucket, key, e);
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw failure("GET", bucket, key, e);
        }
    }

    /**
     * Writes (creates or replaces) one object.
     *
     * @param bucket      bucket name
     * @param key         object key
     * @param body        the bytes
     * @param contentType Content-Type to store
     * @param metadata    user metadata, keys without {@code x-amz-meta-}, values US-ASCII
     * @throws StorageException if the write fails
     */
    public void put(String bucket, String key, byte[] body, String contentType, Map<String, String> metadata) {
        observer.observe("PutObject", bucket, key, () -> putObject(bucket, key, body, contentType, metadata));
    }

    private Void putObject(String bucket, String key, byte[] body, String contentType, Map<String, String> metadata) {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(body), body.length, -1)
                    .contentType(contentType)
                    .userMetadata(metadata)
                    .build());
            return null;
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw failure("PUT", bucket, key, e);
        }
    }

    /**
     * Deletes one object; deleting an object that does not exist is not an error (S3 DELETE is idempotent).
     * Callers only ever delete what the pipeline itself wrote, in the thumbnails bucket; nothing in the pipeline
     * deletes in an upload bucket (issue 8, finding 4).
     *
     * @param bucket bucket name
     * @param key    object key
     * @throws StorageException if the delete fails
     */
    public void delete(String bucket, String key) {
        observer.observe("DeleteObject", bucket, key, () -> deleteObject(bucket, key));
    }

    private Void deleteObject(String bucket, String key) {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            if (!isNotFound(e)) {
                throw failure("DELETE", bucket, key, e);
            }
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw failure("DELETE", bucket, key, e);
        }
        return null;
    }

    /**
     * One page of a listing, in key order.
     *
     * @param bucket     bucket name
     * @param prefix     only keys starting with this ({@code ""} for all)
     * @param startAfter only keys after this one, or {@code null} from the start
     * @param limit      the most objects to return, 1 to 1000
     * @return the objects (without content type or metadata) and whether more follow
     * @throws StorageException if the listing fails, including when the bucket does not exist
     */
    public Page list(String bucket, String prefix, String startAfter, int limit) {
        return observer.observe("ListObjects", bucket, prefix, () -> listObjects(bucket, prefix, startAfter, limit));
    }

    private Page listObjects(String bucket, String prefix, String startAfter, int limit) {
        // One more than the page, to tell whether more follow; S3 caps a request at 1000 keys, and the client's
        // iterator asks for the next page when the 1001st is needed.
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true)
                .maxKeys(Math.min(limit + 1, 1000));
        if (startAfter != null) {
            args.startAfter(startAfter);
        }
        List<ObjectInfo> objects = new ArrayList<>(limit);
        boolean more = false;
        try {
            for (Result<Item> result : client.listObjects(args.build())) {
                Item item = result.get();
                if (objects.size() == limit) {
                    more = true;
                    break;
                }
                objects.add(new ObjectInfo(bucket, item.objectName(), unquote(item.etag()), item.size(), null,
                        item.lastModified().toInstant(), Map.of()));
            }
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw failure("LIST", bucket, prefix, e);
        }
        return new Page(objects, more);
    }

    /**
     * One page of objects.
     *
     * @param objects the objects, in key order
     * @param more    whether a listing starting after the last one would return more
     */
    public record Page(List<ObjectInfo> objects, boolean more) {
    }

    /**
     * Signs a GET URL locally (no request is made): AWS Signature V4 query authentication.
     *
     * @param bucket bucket name
     * @param key    object key
     * @param expiry how long the URL stays valid, 1 second to 7 days
     * @return the URL
     * @throws StorageException if signing fails
     */
    public URI presignGet(String bucket, String key, Duration expiry) {
        try {
            return URI.create(client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Method.GET).bucket(bucket).object(key)
                    .expiry((int) expiry.toSeconds(), TimeUnit.SECONDS).build()));
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw failure("presign GET", bucket, key, e);
        }
    }

    /**
     * Signs a browser upload form locally (no request is made; the client's region is set): an AWS Signature V4
     * POST policy (AWS, "Browser-based uploads using POST (AWS Signature Version 4)"; issue 12) that lets whoever
     * holds it write one object under one key until it expires (as often as they like meanwhile: S3 has no
     * single-use policies, so keep the expiry short). Its conditions: {@code bucket} and
     * {@code key} equal to these, {@code Content-Type} equal to {@code contentType}, the file 1 to
     * {@code maxBytes} bytes ({@code content-length-range}), and the form may carry no other field. Storage checks
     * them and authorises the write as the signer, so the signer's credentials need {@code s3:PutObject} on the
     * key.
     *
     * @param bucket      bucket name
     * @param key         the object key the form must use
     * @param contentType the Content-Type the form must send, stored as the object's
     * @param maxBytes    the largest file accepted, in bytes, at least 1
     * @param expiry      how long the form stays usable, at least 1 second (S3 allows up to 7 days)
     * @return the form's action URL ({@code <endpoint>/<bucket>}, path-style), its fields in order, and when it
     *     expires
     * @throws StorageException if signing fails
     */
    public PresignedPost presignPost(String bucket, String key, String contentType, long maxBytes, Duration expiry) {
        Instant expires = Instant.now().plus(expiry).truncatedTo(ChronoUnit.SECONDS);
        PostPolicy policy = new PostPolicy(bucket, expires.atZone(ZoneOffset.UTC));
        policy.addEqualsCondition("key", key);
        policy.addEqualsCondition("Content-Type", contentType);
        policy.addContentLengthRangeCondition(1, maxBytes);
        Map<String, String> signature;
        try {
            signature = client.getPresignedPostFormData(policy);
        } catch (MinioException | IOException | GeneralSecurityException e) {
            throw failure("presign POST", bucket, key, e);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", contentType);
        for (String name : List.of("x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-security-token",
                "policy", "x-amz-signature")) {
            if (signature.containsKey(name)) {
                fields.put(name, signature.get(name));
            }
        }
        // Any field a later SDK adds still goes with the form (after the known ones: order does not matter to S3).
        new TreeMap<>(signature).forEach(fields::putIfAbsent);
        String base = endpoint.toString();
        return new PresignedPost(URI.create((base.endsWith("/") ? base : base + "/") + bucket), fields, expires);
    }

    /** Thrown by {@link #getIfMatch} when an object holds more bytes than allowed. */
    public static final class TooLargeException extends RuntimeException {

        private final long limit;

        TooLargeException(long limit) {
            super("the object is larger than " + limit + " bytes");
            this.limit = limit;
        }

        /** @return the limit that was exceeded, in bytes */
        public long limit() {
            return limit;
        }
    }

    private static boolean isNotFound(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NoSuchObject".equals(code)
                || e.response() != null && e.response().code() == 404;
    }

    private static StorageException failure(String operation, String bucket, String key, Exception e) {
        String detail = e instanceof ErrorResponseException ere
                ? ere.errorResponse().code() + ": " + ere.errorResponse().message() : e.toString();
        return new StorageException(operation + " " + bucket + "/" + key + " failed: " + detail, e);
    }

    private static String unquote(String eTag) {
        return eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")
                ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}
