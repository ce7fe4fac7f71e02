package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.knthumbnails.testsupport.BrowserForm;
import io.minio.MinioClient;
import io.minio.PostPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the status page's browser sees of EmbeddedS3 when it uploads with a signed form from another origin
 * (issue 12): the preflight is allowed, and the answer of the POST, a refusal's included, carries the CORS headers
 * that let the page read it.
 */
class EmbeddedS3CorsTest {

    private static final String PAGE = "http://127.0.0.1:8082";
    private static final String KEY = "uploads/20261202-164108-k3x9q0-cat.jpg";

    @TempDir
    Path dataDir;

    private RecordingReceiver receiver;
    private WebhookNotifier notifier;
    private EmbeddedS3 s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        receiver = RecordingReceiver.start();
        notifier = WebhookNotifier.start(new WebhookNotifier.Config(dataDir, receiver.uri(), null,
                Duration.ofMillis(100), Duration.ofSeconds(10)));
        s3 = EmbeddedS3.start(EmbeddedS3.Config.of(dataDir, 0, Set.of("images", "thumbnails"), Set.of("images")),
                notifier);
    }

    @AfterEach
    void stop() {
        s3.close();
        notifier.close();
        receiver.close();
    }

    @Test
    void aPreflightForAFormPostIsAllowedForAnyOrigin() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/images"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", PAGE)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-requested-with")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, HEAD, PUT, POST");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("x-requested-with");
    }

    @Test
    void theAnswerToAFormPostIsReadableByThePageWhetherStoredOrRefused() throws Exception {
        Map<String, String> fields = form();
        HttpResponse<String> stored = postForm(fields, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        fields.put("key", "uploads/somewhere-else.jpg");
        HttpResponse<String> refused = postForm(fields, new byte[] {1});

        assertThat(stored.statusCode()).isEqualTo(204);
        assertThat(stored.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(stored.headers().firstValue("Access-Control-Expose-Headers")).hasValue("ETag");
        assertThat(stored.headers().firstValue("ETag")).isPresent();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(refused.body()).contains("Policy Condition failed");
    }

    /** A form as the status function signs it: one key, one type, a size range. */
    private Map<String, String> form() throws Exception {
        PostPolicy policy = new PostPolicy("images", ZonedDateTime.now().plusMinutes(5));
        policy.addEqualsCondition("key", KEY);
        policy.addEqualsCondition("Content-Type", "image/jpeg");
        policy.addContentLengthRangeCondition(1, 1000);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", KEY);
        fields.put("Content-Type", "image/jpeg");
        try (MinioClient minio = MinioClient.builder().endpoint(s3.endpoint().toString())
                .credentials(EmbeddedS3.DEFAULT_ACCESS_KEY, EmbeddedS3.DEFAULT_SECRET_KEY).region("us-east-1")
                .build()) {
            fields.putAll(minio.getPresignedPostFormData(policy));
        }
        return fields;
    }

    private HttpResponse<String> postForm(Map<String, String> fields, byte[] file) throws Exception {
        return http.send(BrowserForm.post(s3.endpoint() + "/images", fields, file).header("Origin", PAGE).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
