package io.github.knthumbnails.events;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which buckets the pipeline watches and where it writes, read from the environment by every function.
 *
 * <p>Renditions and job records live in a bucket of their own, so writing them can never re-trigger the
 * pipeline (architecture page, "Storage conventions"); the thumbnails bucket may therefore not also be an
 * upload bucket.
 *
 * @param upload     bucket names whose new objects get renditions, in configuration order
 * @param thumbnails the bucket renditions and job records are written to
 */
public record Buckets(Set<String> upload, String thumbnails) {

    /** Comma-separated upload bucket names; default {@code images}. */
    public static final String UPLOAD_BUCKETS = "UPLOAD_BUCKETS";
    /** The output bucket; default {@code thumbnails}. */
    public static final String THUMBNAILS_BUCKET = "THUMBNAILS_BUCKET";
    /** The environment variables this record reads. */
    public static final List<String> VARIABLES = List.of(UPLOAD_BUCKETS, THUMBNAILS_BUCKET);

    // S3 bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens, letter or digit at
    // both ends (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    /**
     * @throws IllegalArgumentException if a name breaks the S3 bucket naming rules, no upload bucket is given, or
     *                                  the thumbnails bucket is also an upload bucket
     */
    public Buckets {
        upload = Collections.unmodifiableSet(new LinkedHashSet<>(upload));
        if (upload.isEmpty()) {
            throw new IllegalArgumentException(UPLOAD_BUCKETS + " must name at least one bucket");
        }
        upload.forEach(name -> requireValid(UPLOAD_BUCKETS, name));
        requireValid(THUMBNAILS_BUCKET, thumbnails);
        if (upload.contains(thumbnails)) {
            throw new IllegalArgumentException(THUMBNAILS_BUCKET + " '" + thumbnails + "' is also listed in "
                    + UPLOAD_BUCKETS + ": renditions written there would trigger the pipeline again");
        }
    }

    /**
     * @param env looks up a variable by name, returning {@code null} when unset (e.g. {@code System::getenv})
     * @return the configured buckets, defaults filled in
     * @throws IllegalArgumentException as the constructor
     */
    public static Buckets from(Function<String, String> env) {
        String upload = orDefault(env.apply(UPLOAD_BUCKETS), "images");
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(upload.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
        return new Buckets(names, orDefault(env.apply(THUMBNAILS_BUCKET), "thumbnails").strip());
    }

    /**
     * @param bucket a bucket name
     * @return whether new objects in it should get renditions
     */
    public boolean isUpload(String bucket) {
        return upload.contains(bucket);
    }

    /**
     * @param name a bucket name
     * @return whether it follows the S3 bucket naming rules
     */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    private static void requireValid(String variable, String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException(variable + ": '" + name + "' is not a valid bucket name (3-63"
                    + " characters: a-z, 0-9, '.', '-', starting and ending with a letter or digit)");
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
