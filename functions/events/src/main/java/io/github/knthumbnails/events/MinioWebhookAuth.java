package io.github.knthumbnails.events;

/**
 * The {@code Authorization} header MinIO's webhook target sends for its {@code auth_token} setting
 * (minio/minio {@code internal/event/target/webhook.go}): the token is split on white space; one word is sent as
 * {@code Bearer <token>}, two words are sent verbatim (e.g. {@code "Token abc"}), and nothing is sent otherwise.
 */
public final class MinioWebhookAuth {

    private MinioWebhookAuth() {
    }

    /**
     * @param token the configured token; {@code null} or blank for none
     * @return the header value, or {@code null} when no header is sent
     * @throws IllegalArgumentException for a token of three or more words, which MinIO would silently not send
     */
    public static String authorizationHeader(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        String[] words = token.strip().split("\\s+");
        return switch (words.length) {
            case 1 -> "Bearer " + words[0];
            case 2 -> token.strip();
            default -> throw new IllegalArgumentException("a webhook auth token has one word (sent as 'Bearer <token>')"
                    + " or two (sent as they are), not " + words.length);
        };
    }
}
