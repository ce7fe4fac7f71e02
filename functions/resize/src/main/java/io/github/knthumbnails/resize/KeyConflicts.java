package io.github.knthumbnails.resize;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.knthumbnails.image.RenditionSpec;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and clears derived objects that stand in the way of a source key's derived keys (issue 8, finding 4).
 *
 * <p>MinIO and the filesystem back end of the local stack's S3Proxy cannot hold an object {@code a} and an
 * object {@code a/b} at once. So a job record or rendition left behind for a source {@code dir} (deleted before
 * removals were handled, or its removal event lost) blocks the derived keys of a later source {@code dir/x.jpg},
 * and the other way round. The servers do not say so in a way one can rely on — S3Proxy 4.1.0 answers a HEAD
 * with a bare 500 and a PUT/GET with {@code 500 InternalError} (its log says "Not a directory"); MinIO answers a
 * PUT with {@code XMinioParentIsObject} and a HEAD with 404 — so the conflict is detected by structure: after a
 * storage failure, look for a derived object at a parent prefix of the derived key, or under it.
 *
 * <p>A blocking derived object is deleted when its own source no longer exists (it is ours, in the thumbnails
 * bucket, and describes nothing). If its source does exist (possible only with an upload store that allows
 * {@code a} and {@code a/b} together), the conflict can never go away: {@link Result#BLOCKED}.
 */
final class KeyConflicts {

    /** At most this many derived objects under one derived key are examined per repair. */
    static final int MAX_CHILDREN = 100;
    private static final Logger log = LoggerFactory.getLogger(KeyConflicts.class);

    private final ResizeSettings settings;
    private final ObjectStore store;

    KeyConflicts(ResizeSettings settings, ObjectStore store) {
        this.settings = settings;
        this.store = store;
    }

    /** What a repair found. */
    enum Result {
        /** No derived object is in the way: the failure was something else (treat it as transient). */
        NONE,
        /** Derived objects of sources that no longer exist were in the way and are deleted: try again. */
        REPAIRED,
        /** A derived object of an existing source is in the way: a permanent conflict. */
        BLOCKED
    }

    /**
     * @param bucket source bucket
     * @param key    source key whose derived keys could not be read or written
     * @return what was found and done
     * @throws io.github.knthumbnails.storage.StorageException if storage failed while looking
     */
    Result repair(String bucket, String key) {
        Result result = Result.NONE;
        for (UnaryOperator<String> family : families(bucket)) {
            result = worse(result, repairParents(bucket, key, family));
            result = worse(result, repairChildren(bucket, key, family));
        }
        return result;
    }

    private List<UnaryOperator<String>> families(String bucket) {
        List<UnaryOperator<String>> families = new ArrayList<>();
        families.add(source -> Layout.jobKey(bucket, source));
        for (RenditionSpec spec : settings.renditions()) {
            families.add(source -> Layout.renditionKey(spec.name(), bucket, source));
        }
        return families;
    }

    /** The shortest parent prefix that is an object blocks everything below it; deeper ones cannot exist. */
    private Result repairParents(String bucket, String key, UnaryOperator<String> family) {
        for (int slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
            String parent = key.substring(0, slash);
            if (store.stat(settings.buckets().thumbnails(), family.apply(parent)).isPresent()) {
                return clear(bucket, parent, family.apply(parent), key);
            }
        }
        return Result.NONE;
    }

    private Result repairChildren(String bucket, String key, UnaryOperator<String> family) {
        String derived = family.apply(key);
        Result result = Result.NONE;
        for (ObjectInfo child : store.list(settings.buckets().thumbnails(), derived + "/", null, MAX_CHILDREN)
                .objects()) {
            result = worse(result, clear(bucket, key + child.key().substring(derived.length()), child.key(), key));
        }
        return result;
    }

    private Result clear(String bucket, String owner, String derivedKey, String blocked) {
        if (sourceExists(bucket, owner)) {
            log.error("{}/{} cannot be processed: {}/{} belongs to the existing source {}/{}; recorded as a"
                    + " permanent key_conflict", bucket, blocked, settings.buckets().thumbnails(), derivedKey, bucket,
                    owner);
            return Result.BLOCKED;
        }
        store.delete(settings.buckets().thumbnails(), derivedKey);
        log.warn("deleted {}/{}: it belonged to {}/{}, which no longer exists, and blocked {}/{}",
                settings.buckets().thumbnails(), derivedKey, bucket, owner, bucket, blocked);
        return Result.REPAIRED;
    }

    /**
     * A HEAD of a key under an existing object fails on S3Proxy's filesystem back end (500) instead of saying 404;
     * such a key cannot exist there, and on MinIO, so that failure counts as "does not exist".
     */
    private boolean sourceExists(String bucket, String key) {
        try {
            return store.stat(bucket, key).isPresent();
        } catch (StorageException e) {
            for (int slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
                if (store.stat(bucket, key.substring(0, slash)).isPresent()) {
                    return false;
                }
            }
            throw e;
        }
    }

    private static Result worse(Result a, Result b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
