package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.PresignedPost;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.BrowserForm;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /uploads} over real HTTP, and the forms it signs posted to a real S3 server (S3Proxy, which checks
 * the SigV4 signature with the same credentials and evaluates the policy): what the policy allows is stored, what
 * it does not is refused by storage itself (issue 12).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "BROWSER_UPLOADS=true", "MAX_IMAGE_BYTES=" + UploadIntegrationTests.MAX_BYTES,
    "UPLOADS_PREFIX=browser uploads/"})
class UploadIntegrationTests {

    static final int MAX_BYTES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails", "unwatched");
    private static final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
        registry.add("UPLOAD_BUCKETS", () -> "images,other-uploads");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> requestUpload(String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uploads"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode policy(String filename, String contentType) throws Exception {
        HttpResponse<String> response = requestUpload("application/json",
                JSON.writeValueAsString(Map.of("filename", filename, "contentType", contentType)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Map<String, String> fields(JsonNode policy) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = policy.path("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.put(field.getKey(), field.getValue().asText());
        }
        return fields;
    }

    /** What a browser's form POST sends: multipart/form-data, the fields in order, then the file. */
    private HttpResponse<String> postForm(String url, Map<String, String> fields, byte[] file) throws Exception {
        return http.send(BrowserForm.post(url, fields, file).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] smallJpeg() throws Exception {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 3, Color.ORANGE.getRGB());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        assertThat(out.size()).isLessThan(MAX_BYTES);
        return out.toByteArray();
    }

    @Test
    void aSmallJpegIsUploadedStraightToStorageWithItsType() throws Exception {
        S3.clearRequests();
        JsonNode policy = policy("My Cat é.jpg", "image/jpeg");
        assertThat(S3.requests()).as("signing is local").isEmpty();

        String key = policy.path("key").asText();
        assertThat(policy.path("bucket").asText()).isEqualTo("images");
        assertThat(key).matches("browser uploads/\\d{8}-\\d{6}-[0-9a-z]{6}-My-Cat\\.jpg");
        assertThat(policy.path("url").asText()).isEqualTo(S3.endpoint() + "/images");
        assertThat(fieldNames(policy.path("fields"))).containsExactly("key", "Content-Type", "x-amz-algorithm",
                "x-amz-credential", "x-amz-date", "policy", "x-amz-signature");
        assertThat(policy.path("fields").path("key").asText()).isEqualTo(key);
        assertThat(policy.path("fields").path("Content-Type").asText()).isEqualTo("image/jpeg");
        assertThat(policy.path("maxBytes").asLong()).isEqualTo(MAX_BYTES);
        Instant expires = Instant.parse(policy.path("expires").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(290), Instant.now().plusSeconds(301));
        assertThat(policy.path("status").asText()).isEqualTo("/status/images/browser%20uploads/"
                + key.substring("browser uploads/".length()));
        byte[] jpeg = smallJpeg();

        HttpResponse<String> upload = postForm(policy.path("url").asText(), fields(policy), jpeg);

        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(204);
        ObjectInfo stored = store.stat("images", key).orElseThrow();
        assertThat(stored.contentType()).isEqualTo("image/jpeg");
        assertThat(stored.size()).isEqualTo(jpeg.length);
        JsonNode status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + policy.path("status").asText())).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(status.path("key").asText()).isEqualTo(key);
        assertThat(status.path("status").asText()).isEqualTo("pending");
    }

    @Test
    void aFileOverMaxImageBytesIsRefusedByStorage() throws Exception {
        JsonNode policy = policy("big.jpg", "image/jpeg");

        HttpResponse<String> upload = postForm(policy.path("url").asText(), fields(policy), new byte[MAX_BYTES + 1]);

        assertThat(upload.statusCode()).isEqualTo(400);
        assertThat(upload.body()).contains("EntityTooLarge");
        assertThat(store.stat("images", policy.path("key").asText())).isEmpty();
        // The limit itself is allowed.
        HttpResponse<String> atLimit = postForm(policy.path("url").asText(), fields(policy), new byte[MAX_BYTES]);
        assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(204);
    }

    @Test
    void anEmptyFileIsRefusedByStorage() throws Exception {
        JsonNode policy = policy("empty.jpg", "image/jpeg");

        HttpResponse<String> upload = postForm(policy.path("url").asText(), fields(policy), new byte[0]);

        assertThat(upload.statusCode()).isEqualTo(400);
        assertThat(upload.body()).contains("EntityTooSmall");
        assertThat(store.stat("images", policy.path("key").asText())).isEmpty();
    }

    @Test
    void anotherKeyTypeOrAnExtraFieldIsRefusedByStorage() throws Exception {
        JsonNode policy = policy("cat.jpg", "image/jpeg");
        byte[] jpeg = smallJpeg();
        String url = policy.path("url").asText();
        Map<String, String> otherKey = fields(policy);
        otherKey.put("key", "browser uploads/chosen-by-the-browser.jpg");
        Map<String, String> otherType = fields(policy);
        otherType.put("Content-Type", "text/html");
        Map<String, String> extraField = fields(policy);
        extraField.put("x-amz-meta-owner", "someone");
        Map<String, String> otherBucket = fields(policy);

        HttpResponse<String> wrongKey = postForm(url, otherKey, jpeg);
        HttpResponse<String> wrongType = postForm(url, otherType, jpeg);
        HttpResponse<String> extra = postForm(url, extraField, jpeg);
        HttpResponse<String> wrongBucket = postForm(S3.endpoint() + "/unwatched", otherBucket, jpeg);

        assertThat(List.of(wrongKey, wrongType, extra, wrongBucket)).extracting(HttpResponse::statusCode)
                .containsOnly(403);
        assertThat(wrongKey.body()).contains("Policy Condition failed");
        assertThat(wrongType.body()).contains("Policy Condition failed");
        assertThat(extra.body()).contains("Extra input fields");
        assertThat(store.stat("images", "browser uploads/chosen-by-the-browser.jpg")).isEmpty();
        assertThat(store.stat("images", policy.path("key").asText())).isEmpty();
        assertThat(store.stat("unwatched", policy.path("key").asText())).isEmpty();
    }

    @Test
    void aPolicyChangedAfterSigningIsRefusedByStorage() throws Exception {
        JsonNode policy = policy("cat.jpg", "image/jpeg");
        Map<String, String> fields = fields(policy);
        String document = new String(Base64.getDecoder().decode(fields.get("policy")),
                StandardCharsets.UTF_8);
        String widened = document.replace(String.valueOf(MAX_BYTES), String.valueOf(MAX_BYTES * 1000));
        assertThat(widened).isNotEqualTo(document);
        fields.put("policy", Base64.getEncoder().encodeToString(widened.getBytes(StandardCharsets.UTF_8)));

        HttpResponse<String> upload = postForm(policy.path("url").asText(), fields, new byte[MAX_BYTES + 1]);

        assertThat(upload.statusCode()).isEqualTo(403);
        assertThat(store.stat("images", policy.path("key").asText())).isEmpty();
    }

    @Test
    void anExpiredFormIsRefusedByStorage() throws Exception {
        PresignedPost form = store.presignPost("images", "browser uploads/late.jpg", "image/jpeg", MAX_BYTES,
                Duration.ofSeconds(1));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), form.expires()).toMillis()) + 100);

        HttpResponse<String> upload = postForm(form.url().toString(), form.fields(), smallJpeg());

        assertThat(upload.statusCode()).isEqualTo(403);
        assertThat(upload.body()).contains("Policy expired");
        assertThat(store.stat("images", "browser uploads/late.jpg")).isEmpty();
    }

    @Test
    void aBucketCanBeChosenAmongTheUploadBuckets() throws Exception {
        HttpResponse<String> response = requestUpload("application/json",
                "{\"filename\": \"cat.png\", \"contentType\": \"IMAGE/PNG\", \"bucket\": \"other-uploads\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode policy = JSON.readTree(response.body());
        assertThat(policy.path("bucket").asText()).isEqualTo("other-uploads");
        assertThat(policy.path("url").asText()).endsWith("/other-uploads");
        assertThat(policy.path("fields").path("Content-Type").asText()).isEqualTo("image/png");
    }

    @Test
    void badRequestsAre400WithTheReason() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"filename\": \"cat.jpg\", ", "the body is not valid JSON");
        cases.put("", "expected a JSON body");
        cases.put("[\"cat.jpg\"]", "expected a JSON object");
        cases.put("{\"filename\": \"a.jpg\", \"filename\": \"b.jpg\", \"contentType\": \"image/jpeg\"}",
                "the body is not valid JSON: Duplicate field 'filename'");
        cases.put("{\"contentType\": \"image/jpeg\"}", "filename is required");
        cases.put("{\"filename\": \" \", \"contentType\": \"image/jpeg\"}", "filename is required");
        cases.put("{\"filename\": 12, \"contentType\": \"image/jpeg\"}",
                "filename must be a JSON string, got number");
        cases.put("{\"filename\": \"cat.jpg\"}", "contentType is required");
        cases.put("{\"filename\": \"cat.pdf\", \"contentType\": \"application/pdf\"}",
                "contentType must be image/<subtype> with no parameters, e.g. image/jpeg; got 'application/pdf'");
        cases.put("{\"filename\": \"cat.jpg\", \"contentType\": \"image/\"}", "contentType must be image/<subtype>");
        cases.put("{\"filename\": \"cat.jpg\", \"contentType\": \"image/jpeg; x=1\"}",
                "contentType must be image/<subtype>");
        cases.put("{\"filename\": \"cat.svg\", \"contentType\": \"image/svg+xml\"}",
                "contentType image/svg+xml is not accepted");
        cases.put("{\"filename\": \"cat.jpg\", \"contentType\": \"image/jpeg\", \"bucket\": \"unwatched\"}",
                "bucket 'unwatched' is not watched; upload buckets are [images, other-uploads]");
        cases.put("{\"filename\": \"cat.jpg\", \"contentType\": \"image/jpeg\", \"bucket\": \"thumbnails\"}",
                "bucket 'thumbnails' is not watched");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> response = requestUpload("application/json", c.getKey());

            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(c.getKey()).hasValue("application/json");
            assertThat(JSON.readTree(response.body()).path("error").asText()).as(c.getKey())
                    .startsWith(c.getValue());
        }
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> response = requestUpload("text/plain",
                "{\"filename\": \"cat.jpg\", \"contentType\": \"image/jpeg\"}");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(response.body()).path("error").asText())
                .isEqualTo("expected Content-Type: application/json, got 'text/plain'");
        assertThat(requestUpload("application/json; charset=utf-8",
                "{\"filename\": \"cat.jpg\", \"contentType\": \"image/jpeg\"}").statusCode()).isEqualTo(200);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
