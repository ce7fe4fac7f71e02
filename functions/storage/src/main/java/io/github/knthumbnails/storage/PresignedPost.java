package io.github.knthumbnails.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed browser upload form ({@link ObjectStore#presignPost}): where to POST and what to send. The client sends
 * {@code multipart/form-data} to {@link #url()} with every field of {@link #fields()}, in order, and then the file
 * as the last part, named {@code file}; storage answers {@code 204} (AWS, "Browser-based uploads using POST (AWS
 * Signature Version 4)": fields after {@code file} are ignored).
 *
 * @param url     the form's action: the signer's endpoint and the bucket, path-style, e.g.
 *                {@code http://127.0.0.1:9000/images}
 * @param fields  the form fields, in the order to send them: {@code key}, {@code Content-Type}, then the
 *                signature's ({@code x-amz-algorithm}, {@code x-amz-credential}, {@code x-amz-date},
 *                {@code x-amz-security-token} when the credentials have one, {@code policy},
 *                {@code x-amz-signature}); unmodifiable
 * @param expires when the policy stops being accepted, to the second
 */
public record PresignedPost(URI url, Map<String, String> fields, Instant expires) {

    /** Copies the fields, keeping their order. */
    public PresignedPost {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
