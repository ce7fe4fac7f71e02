package io.github.knthumbnails.local.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.minio.BucketExistsArgs;
import io.minio.MinioClient;

import static io.github.knthumbnails.local.LocalStackMain.or;
import static io.github.knthumbnails.local.LocalStackMain.port;

/**
 * The running local stack a load run talks to.
 *
 * @param s3        the S3 API, e.g. {@code http://127.0.0.1:9000}
 * @param accessKey S3 access key
 * @param secretKey S3 secret key
 * @param bucket    the upload bucket photos go to
 * @param status    the status function's base URL, e.g. {@code http://127.0.0.1:8082/}
 */
public record LoadTarget(URI s3, String accessKey, String secretKey, String bucket, URI status) {

    /** Thrown when no stack answers where it should: the message says where and how to start one. */
    public static final class NotRunningException extends Exception {
        NotRunningException(String message) {
            super(message);
        }
    }

    /**
     * Reads the variables {@code scripts/run-local.sh} (LocalStackMain) reads, with its defaults:
     * {@code MINIO_ENDPOINT} (else {@code http://127.0.0.1:$LOCAL_S3_PORT}, port 9000), {@code MINIO_ACCESS_KEY} /
     * {@code MINIO_SECRET_KEY} ({@code minioadmin}), {@code UPLOAD_BUCKETS} (the first one is used; {@code images})
     * and {@code LOCAL_STATUS_PORT} (8082).
     *
     * @param env looks up a variable, {@code null} when unset
     * @return the target
     * @throws IllegalArgumentException if a port or bucket name is malformed, naming the variable
     */
    public static LoadTarget from(Function<String, String> env) {
        String endpoint = or(env.apply("MINIO_ENDPOINT"), "http://127.0.0.1:" + port(env, "LOCAL_S3_PORT", 9000));
        return new LoadTarget(URI.create(endpoint), or(env.apply("MINIO_ACCESS_KEY"), "minioadmin"),
                or(env.apply("MINIO_SECRET_KEY"), "minioadmin"), Buckets.from(env).upload().iterator().next(),
                URI.create("http://127.0.0.1:" + port(env, "LOCAL_STATUS_PORT", 8082) + "/"));
    }

    /** @return a MinIO client for {@link #s3()} (no request made) */
    public MinioClient client() {
        return ObjectStore.client(new S3Settings(s3, accessKey, secretKey, "us-east-1"));
    }

    /**
     * Checks that the S3 server has the upload bucket and that the status function answers.
     *
     * @param http an HTTP client
     * @throws NotRunningException saying which part does not answer and how to start the stack
     */
    public void check(HttpClient http) throws NotRunningException {
        String hint = " Is the local stack running? Start it in another terminal with scripts/run-local.sh"
                + " (same environment variables), then try again.";
        try {
            if (!client().bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                throw new NotRunningException("the S3 server at " + s3 + " has no bucket '" + bucket + "'." + hint);
            }
        } catch (NotRunningException e) {
            throw e;
        } catch (Exception e) {
            throw new NotRunningException("no S3 server answers at " + s3 + " (" + e + ")." + hint);
        }
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(status.resolve("actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new NotRunningException("the status function at " + status + " is not healthy (HTTP "
                        + r.statusCode() + ")." + hint);
            }
        } catch (IOException e) {
            throw new NotRunningException("no status function answers at " + status + " (" + e + ")." + hint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotRunningException("interrupted");
        }
    }

}
