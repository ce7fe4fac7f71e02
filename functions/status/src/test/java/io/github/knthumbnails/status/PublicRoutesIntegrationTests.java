package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knthumbnails.testsupport.LargeBodyPost;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The public status Service ({@code STATUS_ROUTES=public}) over real HTTP: the status API answers, the dead-letter
 * sink does not exist however its path is spelt (issue 8, finding 1), bodies are capped (finding 8), and the
 * OpenAPI description and Swagger UI are served (issue 12).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "STATUS_ROUTES=public")
class PublicRoutesIntegrationTests {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(method.equals("GET") ? "" : "{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDeadLetterSinkIsNotFoundHoweverItIsSpelt() throws Exception {
        // Spellings Spring MVC would route to the dead-letter controller: the filter answers.
        for (String path : new String[] {"/dead-letter", "/dead-letter;x=1", "/dead%2Dletter"}) {
            HttpResponse<String> response = send("POST", path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("status API only");
        }
        // Spellings no handler matches anyway.
        for (String path : new String[] {"/./dead-letter", "/dead-letter/", "/Dead-Letter"}) {
            assertThat(send("POST", path).statusCode()).as(path).isEqualTo(404);
        }
    }

    /** Issue 11: operational metrics are not served on the public route (they go out over OTLP). */
    @Test
    void theMetricsAreNotFound() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/prometheus;x=1", "/actuator/%70rometheus"}) {
            HttpResponse<String> response = send("GET", path);

            assertThat(response.statusCode()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).contains("status API only");
        }
    }

    @Test
    void theStatusApiAndTheProbesAnswer() throws Exception {
        assertThat(send("GET", "/jobs").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/status/images/nothing-here.jpg").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/status/images/nothing-here.jpg").body()).doesNotContain("status API only");
        assertThat(send("GET", "/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    /**
     * Issue 12: {@code POST /uploads} is part of the public API, and off unless {@code BROWSER_UPLOADS=true}: a
     * deployment that forgets the variable opens no writes.
     */
    @Test
    void uploadsAreAPublicRouteTurnedOffByDefault() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/uploads")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"filename\": \"cat.jpg\", \"contentType\": \"image/jpeg\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("{\"error\":\"uploads from the browser are turned off on this"
                + " deployment (BROWSER_UPLOADS=false)\"}");
    }

    /**
     * Issue 12: the OpenAPI description and Swagger UI are served here, and the description leaves out the
     * dead-letter sink this route answers 404 for.
     */
    @Test
    void theApiDescriptionAndSwaggerUiAnswerWithoutTheDeadLetterSink() throws Exception {
        HttpResponse<String> docs = send("GET", "/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        JsonNode paths = new ObjectMapper().readTree(docs.body()).path("paths");
        assertThat(paths.has("/status/{bucket}/{key}")).isTrue();
        assertThat(paths.has("/jobs")).isTrue();
        assertThat(paths.has(UploadController.PATH)).isTrue();
        assertThat(paths.has(DeadLetters.PATH)).isFalse();
        assertThat(send("GET", "/v3/api-docs/swagger-config").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/swagger-ui.html").statusCode()).isEqualTo(302);
        assertThat(send("GET", "/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    @Test
    void aHugeBodyIsRefusedBeforeItIsRead() throws Exception {
        LargeBodyPost.Response response = LargeBodyPost.post(port, "/jobs", Map.of(), 64L << 20, false);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.bytesSent()).isLessThan(64L << 20);
    }
}
