package io.github.knthumbnails.events;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The object-key encoding of MinIO notification records.
 *
 * <p>MinIO writes {@code s3.object.key} with Go's {@code url.QueryEscape} (form encoding: space as {@code +},
 * {@code /} as {@code %2F}, {@code +} as {@code %2B}, non-ASCII as upper-case {@code %XX} of its UTF-8 bytes; only
 * {@code A-Z a-z 0-9 - _ . ~} stay literal) — minio/minio {@code cmd/event-notification.go}, confirmed as intended
 * in minio/minio#7665 and minio-java#856. Decoding must therefore use <em>form</em> semantics ({@code +} is a
 * space); URI path decoding would keep the {@code +}.
 */
public final class MinioKeys {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MinioKeys() {
    }

    /**
     * Decodes a key as MinIO encodes it in webhook records.
     *
     * @param encoded the {@code s3.object.key} value, e.g. {@code uploads%2FMy+Cat+%C3%A9.jpg}
     * @return the object key, e.g. {@code uploads/My Cat é.jpg}
     * @throws MalformedEventException if a {@code %} is not followed by two hex digits
     */
    public static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("s3.object.key '" + encoded + "' is not valid form encoding: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Encodes a key exactly as Go's {@code url.QueryEscape} does (used by the local stack to emit MinIO-identical
     * records). Java's {@code URLEncoder} differs on {@code *} and {@code ~}, hence this method.
     *
     * @param key an object key
     * @return the form-encoded key
     */
    public static String encode(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 3);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.write(c);
            } else if (c == ' ') {
                out.write('+');
            } else {
                out.write('%');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xf]);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
