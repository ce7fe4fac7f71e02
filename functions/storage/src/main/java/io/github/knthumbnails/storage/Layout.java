package io.github.knthumbnails.storage;

import java.util.Collection;

/**
 * Where the pipeline writes in the thumbnails bucket.
 *
 * <pre>
 *   renditions/&lt;rendition&gt;/&lt;source bucket&gt;/&lt;source key&gt;   one object per rendition, e.g. renditions/thumb/images/uploads/cat.jpg
 *   jobs/&lt;source bucket&gt;/&lt;source key&gt;                       the job record, e.g. jobs/images/uploads/cat.jpg
 * </pre>
 *
 * <p>The source key is always the <em>last</em> part of a derived key and nothing is appended to it. MinIO (and
 * the local stack's filesystem back end) cannot hold an object {@code a} and an object {@code a/b} at once; since
 * the upload bucket cannot either, mirroring its keys verbatim keeps every derived key free of that conflict,
 * which a suffix such as {@code .jpg} would break (sources {@code a} and {@code a.jpg/b}). The rendition's format
 * is in its {@code Content-Type}.
 */
public final class Layout {

    /** Prefix of every rendition object. */
    public static final String RENDITIONS = "renditions/";
    /** Prefix of every job record. */
    public static final String JOBS = "jobs/";
    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private Layout() {
    }

    /**
     * @param rendition rendition name, e.g. {@code thumb}
     * @param bucket    source bucket
     * @param key       source key
     * @return the rendition's key in the thumbnails bucket
     */
    public static String renditionKey(String rendition, String bucket, String key) {
        return RENDITIONS + rendition + "/" + bucket + "/" + key;
    }

    /**
     * @param bucket source bucket
     * @param key    source key
     * @return the job record's key in the thumbnails bucket
     */
    public static String jobKey(String bucket, String key) {
        return JOBS + bucket + "/" + key;
    }

    /**
     * Whether the pipeline can process a source at all: its key, its job record's key and every rendition's key are
     * {@linkplain #isStorable storable}. resize acknowledges any other source without a record (nothing could be
     * written for it), so {@code scripts/backfill.sh} skips it, or every run would send it again.
     *
     * @param bucket     source bucket
     * @param key        source key
     * @param renditions the configured rendition names
     * @return whether every key derived from it can be stored
     */
    public static boolean isProcessable(String bucket, String key, Collection<String> renditions) {
        return isStorable(key) && isStorable(jobKey(bucket, key))
                && renditions.stream().allMatch(name -> isStorable(renditionKey(name, bucket, key)));
    }

    /**
     * Whether MinIO can hold an object under this key: not empty, at most {@value #MAX_KEY_BYTES} UTF-8 bytes (S3's
     * limit), and no {@code .} or {@code ..} path segment (MinIO refuses those, and so does its Java SDK before
     * sending anything: {@code io.minio.ObjectArgs.Builder#validateObjectName}).
     *
     * @param key an object key, source or derived
     * @return whether it can be stored and read
     */
    public static boolean isStorable(String key) {
        if (key.isEmpty() || key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
