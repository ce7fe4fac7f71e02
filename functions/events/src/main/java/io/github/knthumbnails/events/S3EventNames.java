package io.github.knthumbnails.events;

import java.util.Set;

/**
 * S3 event names as MinIO emits them, and the groups the pipeline cares about.
 *
 * <p>MinIO writes names with an {@code s3:} prefix ({@code s3:ObjectCreated:Put}); AWS does not
 * ({@code ObjectCreated:Put}). Everything here works on the <em>normalised</em> form without the prefix, which
 * is also what the CloudEvent {@code type} carries after {@code com.amazonaws.s3.} (CloudEvents AWS S3 adapter,
 * cloudevents/spec {@code cloudevents/adapters/aws-s3.md}). The list of known names is MinIO's
 * {@code internal/event/name.go}.
 */
public final class S3EventNames {

    /** A new object version was written with a single PUT. */
    public static final String PUT = "ObjectCreated:Put";
    /** A new object version was written by a browser form POST. */
    public static final String POST = "ObjectCreated:Post";
    /** A new object version was written by a server-side copy (also a metadata-replacing copy onto itself). */
    public static final String COPY = "ObjectCreated:Copy";
    /** A new object version was assembled from a multipart upload (large files, most CLIs and SDKs). */
    public static final String COMPLETE_MULTIPART_UPLOAD = "ObjectCreated:CompleteMultipartUpload";
    /** An object was deleted. */
    public static final String DELETE = "ObjectRemoved:Delete";

    /** A versioned bucket's current version was hidden behind a delete marker. */
    public static final String DELETE_MARKER_CREATED = "ObjectRemoved:DeleteMarkerCreated";
    /** Every version of an object was deleted at once (MinIO's force delete). */
    public static final String DELETE_ALL_VERSIONS = "ObjectRemoved:DeleteAllVersions";

    private static final Set<String> CONTENT_CREATING = Set.of(PUT, POST, COPY, COMPLETE_MULTIPART_UPLOAD);
    private static final Set<String> CONTENT_REMOVING = Set.of(DELETE, DELETE_MARKER_CREATED, DELETE_ALL_VERSIONS);

    private static final Set<String> KNOWN = Set.of(
            "ObjectAccessed:Get", "ObjectAccessed:GetRetention", "ObjectAccessed:GetLegalHold",
            "ObjectAccessed:Head", "ObjectAccessed:Attributes",
            PUT, POST, COPY, COMPLETE_MULTIPART_UPLOAD,
            "ObjectCreated:PutRetention", "ObjectCreated:PutLegalHold", "ObjectCreated:PutTagging",
            "ObjectCreated:DeleteTagging",
            DELETE, DELETE_MARKER_CREATED, DELETE_ALL_VERSIONS, "ObjectRemoved:NoOP",
            "LifecycleDelMarkerExpiration:Delete",
            "Replication:OperationFailedReplication", "Replication:OperationCompletedReplication",
            "Replication:OperationNotTracked", "Replication:OperationMissedThreshold",
            "Replication:OperationReplicatedAfterThreshold",
            "ObjectRestore:Post", "ObjectRestore:Completed",
            "ObjectTransition:Failed", "ObjectTransition:Complete",
            "Scanner:ManyVersions", "Scanner:LargeVersions", "Scanner:BigPrefix");

    private S3EventNames() {
    }

    /**
     * Strips MinIO's {@code s3:} prefix.
     *
     * @param raw an event name as found in a record, e.g. {@code s3:ObjectCreated:Put}
     * @return the name without the prefix, e.g. {@code ObjectCreated:Put}
     */
    public static String normalise(String raw) {
        return raw.startsWith("s3:") ? raw.substring(3) : raw;
    }

    /**
     * @param name a normalised event name
     * @return whether MinIO can emit it (a typo such as {@code ObjectCreated:Putt} is unknown)
     */
    public static boolean isKnown(String name) {
        return KNOWN.contains(name);
    }

    /**
     * @param name a normalised event name
     * @return whether the event announces new object <em>content</em> (Put, Post, Copy,
     *     CompleteMultipartUpload) — the only events that need new renditions; tagging, retention and legal-hold
     *     changes are {@code ObjectCreated:*} too but leave the bytes alone
     */
    public static boolean createsContent(String name) {
        return CONTENT_CREATING.contains(name);
    }

    /**
     * @param name a normalised event name
     * @return whether the event announces that the object's current content is gone (Delete, DeleteMarkerCreated,
     *     DeleteAllVersions) — the events whose renditions and job record are removed (issue 8, finding 4);
     *     {@code ObjectRemoved:NoOP} (a delete of a key that did not exist) removes nothing
     */
    public static boolean removesContent(String name) {
        return CONTENT_REMOVING.contains(name);
    }

    /**
     * @param name a normalised event name
     * @return whether it is a known {@code ObjectCreated:*} or {@code ObjectRemoved:*} event — what the
     *     minio-source forwards as CloudEvents
     */
    public static boolean isObjectCreatedOrRemoved(String name) {
        return isKnown(name) && (name.startsWith("ObjectCreated:") || name.startsWith("ObjectRemoved:"));
    }
}
