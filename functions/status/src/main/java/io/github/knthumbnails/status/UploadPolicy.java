package io.github.knthumbnails.status;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * The answer of {@code POST /uploads} (issue 12): a signed form that uploads one file straight to object storage.
 * The browser POSTs {@code multipart/form-data} to {@code url} with every entry of {@code fields}, in order, then
 * the file as a part named {@code file} (last: storage ignores fields after it); storage answers {@code 204}, and
 * the pipeline takes the upload from there ({@code s3:ObjectCreated:Post}).
 *
 * @param bucket   the upload bucket written to
 * @param key      the object key, chosen by the server ({@link UploadKeys})
 * @param url      the form's action: the public S3 endpoint and the bucket, path-style
 * @param fields   the form fields to send before the file, in order: {@code key}, {@code Content-Type} and the
 *                 SigV4 policy fields ({@code x-amz-algorithm}, {@code x-amz-credential}, {@code x-amz-date},
 *                 {@code policy}, {@code x-amz-signature})
 * @param maxBytes the largest file storage accepts with this form, in bytes
 * @param expires  when storage stops accepting the form
 * @param status   where to ask how the upload is doing: the relative URL of {@code GET /status/{bucket}/{key}},
 *                 the key percent-encoded per path segment
 */
public record UploadPolicy(String bucket, String key, URI url, Map<String, String> fields, long maxBytes,
                           Instant expires, String status) {
}
