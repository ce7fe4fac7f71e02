package io.github.knthumbnails.status;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.knthumbnails.events.Buckets;

/**
 * One validated request for a page of jobs, as {@code GET /jobs} and the page at {@code GET /} take it.
 *
 * @param bucket     an upload bucket
 * @param prefix     key prefix, {@code ""} for all
 * @param startAfter the key to continue after, or {@code null} from the start
 * @param limit      jobs per page, 1 to {@link StatusService.Limits#maxLimit()}
 */
record JobsQuery(String bucket, String prefix, String startAfter, int limit) {

    /** Jobs per page when the request does not say. */
    static final int DEFAULT_LIMIT = 20;

    /**
     * Validates query parameters as they arrive.
     *
     * @param settings which buckets are upload buckets
     * @param limits   the largest page allowed
     * @param bucket   the bucket; {@code null} or blank for the first upload bucket
     * @param prefix   key prefix; {@code null} for all
     * @param limit    page size as text; {@code null} or blank for {@value #DEFAULT_LIMIT}
     * @param cursor   a {@code nextCursor} this API returned, or {@code null} for the first page
     * @return the query
     * @throws StatusController.BadRequest saying what was wrong: an unwatched bucket, a limit out of range or not
     *                                     a number, a cursor this API did not make or that belongs to another prefix
     */
    static JobsQuery of(StatusSettings settings, StatusService.Limits limits, String bucket, String prefix,
                        String limit, String cursor) {
        String name = uploadBucket(settings.buckets(), bucket);
        int max = limits.maxLimit();
        int size;
        try {
            size = limit == null || limit.isBlank() ? DEFAULT_LIMIT : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new StatusController.BadRequest("limit must be a whole number from 1 to " + max + ", got '" + limit
                    + "'");
        }
        if (size < 1 || size > max) {
            throw new StatusController.BadRequest("limit must be from 1 to " + max + ", got " + size);
        }
        String keyPrefix = prefix == null ? "" : prefix;
        String startAfter = cursor == null || cursor.isBlank() ? null : fromCursor(cursor);
        if (startAfter != null && !startAfter.startsWith(keyPrefix)) {
            throw new StatusController.BadRequest("cursor does not belong to prefix '" + keyPrefix + "'");
        }
        return new JobsQuery(name, keyPrefix, startAfter, size);
    }

    /**
     * @param buckets  the configured buckets
     * @param bucket   the bucket a request names; {@code null} or blank for the first upload bucket
     * @return the upload bucket it means
     * @throws StatusController.BadRequest if it is not an upload bucket
     */
    static String uploadBucket(Buckets buckets, String bucket) {
        String name = bucket == null || bucket.isBlank() ? buckets.upload().iterator().next() : bucket;
        if (!buckets.isUpload(name)) {
            throw new StatusController.BadRequest("bucket '" + name + "' is not watched; upload buckets are "
                    + buckets.upload());
        }
        return name;
    }

    /**
     * @param lastKey the last key of a page
     * @return the opaque, URL-safe cursor for the page after it (base64url of the key, no padding)
     */
    static String toCursor(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String fromCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new StatusController.BadRequest("cursor '" + cursor + "' is not one this API returned");
        }
    }
}
