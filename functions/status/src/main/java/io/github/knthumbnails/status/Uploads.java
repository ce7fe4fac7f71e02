package io.github.knthumbnails.status;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.PresignedPost;
import io.github.knthumbnails.storage.StorageException;
import org.springframework.web.util.UriUtils;

/**
 * Hands out browser upload forms (issue 12): for each request a new server-chosen key ({@link UploadKeys}) and an
 * AWS SigV4 POST policy for exactly that key, signed locally for the public S3 endpoint (AWS, "Browser-based
 * uploads using POST (AWS Signature Version 4)").
 *
 * <p>The policy's conditions ({@link ObjectStore#presignPost}): the bucket and the key as chosen here;
 * {@code Content-Type} <em>equal to</em> the declared type, not merely starting with {@code image/}: the browser
 * sends {@code file.type} as {@code contentType} and the form carries that exact value back, so equality costs
 * nothing and keeps one form to one key and one type (what is stored is what was checked here); it cannot make
 * the bytes an image, which resize decides from the bytes alone. The file is 1 to {@link UploadSettings#maxBytes()}
 * bytes, the resize function's own limit, so storage refuses what resize would only mark {@code too_large}. The
 * form expires after {@link UploadSettings#expiry()}. Storage enforces all of it and writes as the signer.
 */
class Uploads {

    private final UploadSettings settings;
    private final Buckets buckets;
    private final ObjectStore signer;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * @param settings what to sign
     * @param buckets  which buckets take uploads
     * @param signer   signs for {@link StatusSettings#publicEndpoint()} (makes no requests)
     * @param clock    the time keys are named after
     * @param random   the random part of keys; a {@link java.security.SecureRandom} in production
     */
    Uploads(UploadSettings settings, Buckets buckets, ObjectStore signer, Clock clock, RandomGenerator random) {
        this.settings = settings;
        this.buckets = buckets;
        this.signer = signer;
        this.clock = clock;
        this.random = random;
    }

    /** @return what this deployment signs, and whether it signs at all */
    UploadSettings settings() {
        return settings;
    }

    /**
     * @param request a parsed request
     * @return a signed form for a new key
     * @throws StatusController.BadRequest if the bucket is not an upload bucket
     * @throws StorageException            if signing fails
     */
    UploadPolicy policy(UploadRequest request) {
        String bucket = JobsQuery.uploadBucket(buckets, request.bucket());
        String key = UploadKeys.key(settings.prefix(), clock.instant(), random, request.filename());
        if (!Layout.isStorable(key)) {
            // Unreachable with a valid prefix (UploadSettings); checked so a regression cannot sign a broken key.
            throw new IllegalStateException("chose a key storage cannot hold: " + key);
        }
        PresignedPost form = signer.presignPost(bucket, key, request.contentType(), settings.maxBytes(),
                settings.expiry());
        return new UploadPolicy(bucket, key, form.url(), form.fields(), settings.maxBytes(), form.expires(),
                statusPath(bucket, key));
    }

    /**
     * @param bucket a bucket name
     * @param key    an object key
     * @return {@code /status/<bucket>/<key>}, each path segment of the key percent-encoded (RFC 3986)
     */
    static String statusPath(String bucket, String key) {
        return "/status/" + bucket + "/" + Arrays.stream(key.split("/", -1))
                .map(segment -> UriUtils.encodePathSegment(segment, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }
}
