package io.github.knthumbnails.storage;

import java.util.regex.Pattern;

/**
 * One stored rendition, as the job record describes it.
 *
 * @param name        rendition name, lower-case {@code [a-z0-9-]}, e.g. {@code thumb}
 * @param width       width in pixels
 * @param height      height in pixels
 * @param contentType e.g. {@code image/jpeg}
 * @param bytes       size of the stored object in bytes
 * @param spec        the fingerprint of the rendition spec that made it, e.g. {@code 100x100:cover:80:jpeg} (the
 *                    image module's {@code RenditionSpec.fingerprint()}, issue 13); {@code null} for a record
 *                    written before fingerprints were kept, which therefore matches no profile
 */
public record RenditionInfo(String name, int width, int height, String contentType, long bytes, String spec) {

    /** Printable ASCII without spaces, so it fits in the record's space-separated metadata value. */
    private static final Pattern SPEC = Pattern.compile("[!-~]{1,100}");

    /**
     * @throws IllegalArgumentException if {@code spec} is set but empty, longer than 100 characters or not printable
     *                                  ASCII without spaces
     */
    public RenditionInfo {
        if (spec != null && !SPEC.matcher(spec).matches()) {
            throw new IllegalArgumentException("a rendition spec fingerprint is 1-100 printable ASCII characters"
                    + " without spaces: " + spec);
        }
    }
}
