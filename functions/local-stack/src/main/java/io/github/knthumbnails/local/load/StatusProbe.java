package io.github.knthumbnails.local.load;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Asks the status function about one upload: {@code GET /status/<bucket>/<key>} (functions/status, JobView).
 */
final class StatusProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final String bucket;

    /**
     * What the status function said.
     *
     * @param status     {@code pending}, {@code processing}, {@code succeeded}, {@code failed} or {@code unknown}
     * @param etag       the ETag of the version the answer is about
     * @param finished   the job record's {@code finished} instant (nanosecond digits as the resize function wrote
     *                   them), or {@code null}
     * @param errorClass {@code error.class}, or {@code null}
     */
    record Answer(String status, String etag, Instant finished, String errorClass) {

        /** @return whether the job has ended: {@code succeeded} or {@code failed} */
        boolean terminal() {
            return status.equals("succeeded") || status.equals("failed");
        }
    }

    StatusProbe(HttpClient http, URI base, String bucket) {
        this.http = http;
        this.base = base;
        this.bucket = bucket;
    }

    /**
     * @param key an object key in the bucket
     * @return the answer; empty when the status function did not answer 200 with readable JSON (a poll that
     *     failed is retried by the caller, never counted as an outcome)
     * @throws InterruptedException if interrupted while waiting for the answer
     */
    Optional<Answer> ask(String key) throws InterruptedException {
        String path = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("status/" + bucket + "/" + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode json = JSON.readTree(r.body());
            String finished = json.path("finished").asText(null);
            return Optional.of(new Answer(json.path("status").asText(""), json.path("etag").asText(""),
                    finished == null ? null : Instant.parse(finished), json.path("error").path("class").asText(null)));
        } catch (IOException | RuntimeException e) { // unreadable JSON or time included: ask again later
            return Optional.empty();
        }
    }
}
