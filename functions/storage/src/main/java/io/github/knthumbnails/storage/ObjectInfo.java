package io.github.knthumbnails.storage;

import java.time.Instant;
import java.util.Map;

/**
 * What a HEAD (stat) or a listing says about one object.
 *
 * @param bucket       bucket name
 * @param key          object key
 * @param eTag         entity tag without quotes
 * @param size         size in bytes
 * @param contentType  Content-Type, {@code null} in listings (S3 listings do not carry it)
 * @param lastModified last modification time (second precision on most servers)
 * @param metadata     user metadata with the {@code x-amz-meta-} prefix removed and keys lower-cased; empty in
 *                     listings
 */
public record ObjectInfo(String bucket, String key, String eTag, long size, String contentType, Instant lastModified,
                         Map<String, String> metadata) {

    /** Copies the metadata map. */
    public ObjectInfo {
        metadata = Map.copyOf(metadata);
    }
}
