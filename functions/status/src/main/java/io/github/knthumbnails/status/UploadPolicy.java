package io.github.knthumbnails.status;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

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
@Schema(name = "UploadPolicy", description = "A signed form that uploads one file straight to object storage.")
public record UploadPolicy(
        @Schema(description = "The upload bucket written to.", example = "images",
                requiredMode = RequiredMode.REQUIRED) String bucket,
        @Schema(description = "The object key, chosen by the server.",
                example = "uploads/20261202-164108-k3x9q0-cat.jpg", requiredMode = RequiredMode.REQUIRED)
        String key,
        @Schema(description = "The form's action: the public S3 endpoint and the bucket, path-style.",
                requiredMode = RequiredMode.REQUIRED) URI url,
        @Schema(description = "The form fields to send before the file, in order: `key`, `Content-Type` and the"
                + " SigV4 policy fields (`x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `policy`,"
                + " `x-amz-signature`).", requiredMode = RequiredMode.REQUIRED) Map<String, String> fields,
        @Schema(description = "The largest file storage accepts with this form, in bytes.", minimum = "1",
                requiredMode = RequiredMode.REQUIRED) long maxBytes,
        @Schema(description = "When storage stops accepting the form.", requiredMode = RequiredMode.REQUIRED)
        Instant expires,
        @Schema(description = "Where to ask how the upload is doing: the relative URL of"
                + " `GET /status/{bucket}/{key}`.",
                example = "/status/images/uploads/20261202-164108-k3x9q0-cat.jpg",
                requiredMode = RequiredMode.REQUIRED) String status) {
}
