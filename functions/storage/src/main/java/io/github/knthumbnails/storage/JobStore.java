package io.github.knthumbnails.storage;

import java.util.Optional;

/**
 * Reads and writes job records ({@link JobRecord}) where {@link Layout} puts them: zero-byte objects at
 * {@code jobs/<bucket>/<key>} in the thumbnails bucket, the record in their user metadata.
 */
public final class JobStore {

    private final ObjectStore store;
    private final String thumbnailsBucket;

    /**
     * @param store            object storage
     * @param thumbnailsBucket the bucket job records live in
     */
    public JobStore(ObjectStore store, String thumbnailsBucket) {
        this.store = store;
        this.thumbnailsBucket = thumbnailsBucket;
    }

    /**
     * One HEAD.
     *
     * @param bucket source bucket
     * @param key    source key
     * @return the record for that source key, whatever ETag it is about; empty if none or unreadable
     * @throws StorageException if storage cannot be asked
     */
    public Optional<JobRecord> read(String bucket, String key) {
        return store.stat(thumbnailsBucket, Layout.jobKey(bucket, key))
                .flatMap(info -> JobRecord.fromMetadata(info.metadata()));
    }

    /**
     * Writes (replaces) the record for a source key.
     *
     * @param bucket source bucket
     * @param key    source key
     * @param record the record
     * @throws StorageException if the write fails
     */
    public void write(String bucket, String key, JobRecord record) {
        store.put(thumbnailsBucket, Layout.jobKey(bucket, key), new byte[0], "application/octet-stream",
                record.toMetadata());
    }

    /**
     * Deletes the record for a source key (in the thumbnails bucket only); no record is not an error.
     *
     * @param bucket source bucket
     * @param key    source key
     * @throws StorageException if the delete fails
     */
    public void delete(String bucket, String key) {
        store.delete(thumbnailsBucket, Layout.jobKey(bucket, key));
    }
}
