package io.github.knthumbnails.status;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.random.RandomGenerator;

/**
 * The object keys of browser uploads (issue 12): chosen by the server, never by the browser.
 *
 * <pre>
 *   &lt;prefix&gt;&lt;UTC yyyyMMdd-HHmmss&gt;-&lt;6 random base-36 characters&gt;-&lt;sanitised file name&gt;
 *   uploads/20261202-164108-k3x9q0-My-Cat.jpg
 * </pre>
 *
 * Every part before the name has a fixed width, so keys sort by upload time in S3's key order (UTF-8 bytes) and
 * {@code GET /jobs?prefix=uploads/} lists them oldest first; the random part (one of 36<sup>6</sup>, about 2.2
 * billion, values) keeps two uploads of the same second apart. The file name is only a label for people: it cannot
 * add a path segment, so with a valid prefix the key never has a {@code .} or {@code ..} segment.
 */
final class UploadKeys {

    /** The longest sanitised file name, in characters (each one byte: they are ASCII). */
    static final int MAX_NAME_LENGTH = 100;
    /** The longest extension {@link #sanitise} keeps when it shortens a name, dot included. */
    static final int MAX_EXTENSION_LENGTH = 12;
    /** What a key holds after the prefix, at most: time stamp, random part, two dashes, the name. */
    static final int MAX_SUFFIX_LENGTH = 15 + 1 + 6 + 1 + MAX_NAME_LENGTH;
    /** The name of an upload whose file name keeps nothing. */
    static final String FALLBACK_NAME = "upload";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    private UploadKeys() {
    }

    /**
     * The key of one upload.
     *
     * @param prefix   a valid {@link UploadSettings#prefix()}
     * @param now      the time of the request (seconds are kept, the rest dropped)
     * @param random   where the random part comes from (a {@link java.security.SecureRandom} in production, so
     *                 keys cannot be guessed ahead of an upload)
     * @param filename the name the browser gave, any string
     * @return {@code prefix + time + "-" + random + "-" + sanitise(filename)}
     */
    static String key(String prefix, Instant now, RandomGenerator random, String filename) {
        StringBuilder key = new StringBuilder(prefix).append(TIME.format(now)).append('-');
        for (int i = 0; i < 6; i++) {
            key.append(BASE36.charAt(random.nextInt(BASE36.length())));
        }
        return key.append('-').append(sanitise(filename)).toString();
    }

    /**
     * A file name reduced to a safe label. ASCII letters, digits, {@code .}, {@code -} and {@code _} are kept;
     * every run of other characters (spaces, slashes, backslashes, non-ASCII, controls) becomes one {@code -};
     * every run of dots and dashes that holds a dot becomes one dot; dashes are trimmed from both ends and dots
     * from the end. A name left empty becomes {@value #FALLBACK_NAME}, one left starting with a dot gets
     * {@value #FALLBACK_NAME} in front. Longer than {@value #MAX_NAME_LENGTH} characters, the name is cut and its
     * extension (up to {@value #MAX_EXTENSION_LENGTH} characters, dot included) kept. Non-ASCII letters are
     * replaced rather than kept so that the key needs no Unicode normalisation and reads the same in every client,
     * URL and shell.
     *
     * @param filename any string, e.g. {@code "../My Cat é.JPG"}
     * @return e.g. {@code "My-Cat.JPG"}: 1 to {@value #MAX_NAME_LENGTH} characters of {@code [A-Za-z0-9._-]},
     *     never starting with {@code .} or {@code -} nor ending with either
     */
    static String sanitise(String filename) {
        String name = filename.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("[-.]*\\.[-.]*", ".");
        name = trimEnd(trimStart(name));
        if (name.isEmpty()) {
            return FALLBACK_NAME;
        }
        if (name.startsWith(".")) {
            name = FALLBACK_NAME + name;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION_LENGTH ? name.substring(dot) : "";
            name = trimEnd(name.substring(0, MAX_NAME_LENGTH - extension.length())) + extension;
        }
        return name;
    }

    private static String trimStart(String name) {
        int start = 0;
        while (start < name.length() && name.charAt(start) == '-') {
            start++;
        }
        return name.substring(start);
    }

    private static String trimEnd(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == '-')) {
            end--;
        }
        return name.substring(0, end);
    }
}
