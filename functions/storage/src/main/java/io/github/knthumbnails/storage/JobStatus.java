package io.github.knthumbnails.storage;

import java.util.Optional;

/**
 * The status of the job for the <em>current</em> version of a source object, derived from object storage alone.
 *
 * <p>Rule (architecture page, "Storage conventions"): a job is one version of one object, identified by its ETag.
 * A record counts only when its {@code source-etag} equals the source's current ETag; a record written for an
 * older upload of the same key — or one overtaken by a newer upload while it was being written — leaves the new
 * upload {@code pending}, so an old outcome can never make a newer upload look done.
 *
 * @param source the source object as it is now
 * @param state  the derived state
 * @param record the record that decided the state; empty when {@code pending}
 */
public record JobStatus(ObjectInfo source, JobState state, Optional<JobRecord> record) {

    /**
     * @param source the source object's current HEAD
     * @param record the job record found for its key, if any
     * @return the job status
     */
    public static JobStatus derive(ObjectInfo source, Optional<JobRecord> record) {
        Optional<JobRecord> current = record.filter(r -> r.sourceETag().equals(source.eTag()));
        return new JobStatus(source, current.map(JobRecord::state).orElse(JobState.PENDING), current);
    }
}
