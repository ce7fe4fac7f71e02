package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.github.knthumbnails.events.RequestLimits;
import io.github.knthumbnails.testsupport.LargeBodyPost;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The cluster-local dead-letter Service ({@code STATUS_ROUTES=dead-letter}) over real HTTP: only
 * {@code POST /dead-letter} and the probes answer (issue 8, finding 1), and a dead letter's body is capped at
 * {@link RequestLimits#DEFAULT_MAX_BODY_BYTES} whether its length is declared or chunked (finding 8).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "STATUS_ROUTES=dead-letter")
class DeadLetterRoutesIntegrationTests {

    private static final long HUGE = 64L << 20;

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The status API, the page, the OpenAPI description and Swagger UI (issue 12) are all 404 here. */
    @Test
    void theStatusApiIsNotFound() throws Exception {
        for (String path : new String[] {"/status/images/cat.jpg", "/jobs", "/status", "/", "/v3/api-docs",
                "/v3/api-docs/swagger-config", "/swagger-ui.html", "/swagger-ui/index.html"}) {
            HttpResponse<String> response = send("GET", path, "");

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("only POST /dead-letter");
        }
        assertThat(send("GET", "/dead-letter", "").statusCode()).isEqualTo(404);
        // Issue 12: the upload forms belong to the public API too.
        HttpResponse<String> uploads = send("POST", "/uploads",
                "{\"filename\": \"a.jpg\", \"contentType\": \"image/jpeg\"}");
        assertThat(uploads.statusCode()).isEqualTo(404);
        assertThat(uploads.body()).contains("only POST /dead-letter");
    }

    @Test
    void theDeadLetterSinkAndTheProbesAnswer() throws Exception {
        // Reaches the controller: a body that is no CloudEvent is a 400 from it, not a 404.
        HttpResponse<String> response = send("POST", "/dead-letter", "{}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(send("GET", "/actuator/health/readiness", "").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/actuator/health/liveness", "").statusCode()).isEqualTo(200);
        // Cluster-local: a scraper may read the metrics here (issue 11); the route filter lets it through.
        assertThat(send("GET", "/actuator/prometheus", "").body()).doesNotContain("only POST");
    }

    @Test
    void aHugeDeclaredBodyIsRefusedWith413BeforeItIsRead() throws Exception {
        LargeBodyPost.Response response = LargeBodyPost.post(port, "/dead-letter",
                Map.of("Content-Type", "application/json", "ce-specversion", "1.0"), HUGE, false);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("the limit is " + RequestLimits.DEFAULT_MAX_BODY_BYTES + " bytes")
                .contains(RequestLimits.MAX_REQUEST_BYTES);
        assertThat(response.bytesSent()).isLessThan(HUGE);
    }

    @Test
    void aHugeChunkedBodyIsRefusedWith413AfterTheLimit() throws Exception {
        LargeBodyPost.Response response = LargeBodyPost.post(port, "/dead-letter",
                Map.of("Content-Type", "application/json"), HUGE, true);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("chunked");
        assertThat(response.bytesSent()).isLessThan(HUGE);
    }

    @Test
    void aChunkedBodyWithinTheLimitStillArrives() throws Exception {
        // 1000 zero bytes are no CloudEvent: the controller saw them and said so.
        LargeBodyPost.Response response = LargeBodyPost.post(port, "/dead-letter",
                Map.of("Content-Type", "application/json"), 1000, true);

        assertThat(response.status()).isEqualTo(400);
    }
}
