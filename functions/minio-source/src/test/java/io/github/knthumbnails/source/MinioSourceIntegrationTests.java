package io.github.knthumbnails.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.github.knthumbnails.events.RequestLimits;
import io.github.knthumbnails.testsupport.LargeBodyPost;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The minio-source over real HTTP: MinIO-shaped POSTs in, CloudEvents out to a recording sink. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MinioSourceIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "s3cr3t-token";
    private static final long HUGE = 64L << 20;

    record Received(Map<String, String> headers, byte[] body) {
    }

    private static final List<Received> SINK_REQUESTS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger SINK_STATUS = new AtomicInteger(202);
    private static final HttpServer SINK = startSink();

    private static HttpServer startSink() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
                SINK_REQUESTS.add(new Received(headers, exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(SINK_STATUS.get(), -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("K_SINK", () -> "http://127.0.0.1:" + SINK.getAddress().getPort() + "/");
        registry.add("WEBHOOK_AUTH_TOKEN", () -> TOKEN);
        registry.add("K_CE_OVERRIDES", () -> "{\"extensions\":{\"cluster\":\"eu1\"}}");
    }

    @AfterAll
    static void stopSink() {
        SINK.stop(0);
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        SINK_REQUESTS.clear();
        SINK_STATUS.set(202);
    }

    private HttpResponse<String> post(byte[] body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] put(String bucket, String encodedKey, String key) {
        return MinioWebhookBodies.webhook("s3:ObjectCreated:Put", bucket, encodedKey, key, "e1");
    }

    @Test
    void forwardsAPutAsABinaryModeCloudEventAndAnswers200AfterTheSinkAccepted() throws Exception {
        byte[] body = put("images", "uploads%2FMy+Cat+%C3%A9.jpg", "uploads/My Cat é.jpg");

        HttpResponse<String> response = post(body, "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("forwarded").asInt()).isEqualTo(1);
        assertThat(SINK_REQUESTS).hasSize(1);
        Received event = SINK_REQUESTS.get(0);
        assertThat(event.headers())
                .containsEntry("ce-specversion", "1.0")
                .containsEntry("ce-type", "com.amazonaws.s3.ObjectCreated:Put")
                .containsEntry("ce-source", "minio:s3..images")
                .containsEntry("ce-subject", "uploads/My%20Cat%20%C3%A9.jpg")
                .containsEntry("ce-cluster", "eu1")
                .containsEntry("Content-Type", "application/json");
        assertThat(event.headers().get("ce-id")).startsWith("187A2C3F5B0D9E11.");
        assertThat(JSON.readTree(event.body()))
                .isEqualTo(JSON.readTree(body).path("Records").get(0));
    }

    /**
     * Issue 11: the event carries the PRODUCER span's context in its {@code traceparent} extension, the request the
     * CLIENT span's in its HTTP {@code traceparent} header; both continue the trace of the webhook request.
     */
    @Test
    void theForwardedEventCarriesTheTraceInItsExtensionAndItsHeader() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofByteArray(put("images", "traced.jpg", "traced.jpg"))).build();

        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        Map<String, String> headers = SINK_REQUESTS.get(0).headers();
        String w3c = "00-([0-9a-f]{32})-([0-9a-f]{16})-01";
        assertThat(headers.get("ce-traceparent")).matches(w3c).startsWith("00-" + trace + "-");
        assertThat(headers.get("traceparent")).matches(w3c).startsWith("00-" + trace + "-");
        assertThat(headers.get("traceparent")).isNotEqualTo(headers.get("ce-traceparent"));
        assertThat(headers.get("ce-traceparent")).doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void forwardsEveryRemovalOfTheUploadBucketSoResizeCanDropItsRenditions() throws Exception {
        // Issue 8, finding 4: the resize Trigger routes these three types; the source must forward them.
        for (String name : new String[] {"Delete", "DeleteMarkerCreated", "DeleteAllVersions"}) {
            SINK_REQUESTS.clear();
            byte[] body = MinioWebhookBodies.webhook("s3:ObjectRemoved:" + name, "images", "dir", "dir", "e1");

            assertThat(post(body, "Bearer " + TOKEN).statusCode()).as(name).isEqualTo(200);

            assertThat(SINK_REQUESTS).as(name).hasSize(1);
            assertThat(SINK_REQUESTS.get(0).headers()).containsEntry("ce-type", "com.amazonaws.s3.ObjectRemoved:" + name)
                    .containsEntry("ce-subject", "dir").containsEntry("ce-source", "minio:s3..images");
        }
    }

    @Test
    void acknowledgesButDoesNotForwardOtherBucketsAndOtherEvents() throws Exception {
        assertThat(post(put("thumbnails", "renditions%2Fthumb%2Fa.jpg", "renditions/thumb/a.jpg"), "Bearer " + TOKEN)
                .statusCode()).isEqualTo(200);
        assertThat(post(MinioWebhookBodies.webhook("s3:ObjectAccessed:Get", "images", "a.jpg", "a.jpg", "e1"),
                "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(post(MinioWebhookBodies.webhook("s3:OtRemoved:DeleteMarkerCreated", "images", "a.jpg", "a.jpg",
                "e1"), "Bearer " + TOKEN).statusCode()).isEqualTo(200);

        assertThat(SINK_REQUESTS).isEmpty();
    }

    @Test
    void answersMiniosEmptyRegistrationPostAndHeadProbe() throws Exception {
        assertThat(post(new byte[0], "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(SINK_REQUESTS).isEmpty();
    }

    @Test
    void refusesAMissingOrWrongToken() throws Exception {
        byte[] body = put("images", "a.jpg", "a.jpg");

        assertThat(post(body, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = post(body, "Bearer nope");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("WEBHOOK_AUTH_TOKEN");
        assertThat(SINK_REQUESTS).isEmpty();
    }

    @Test
    void anUnauthenticatedHugeBodyIs401WithoutBeingRead() throws Exception {
        LargeBodyPost.Response response = LargeBodyPost.post(port, "/", Map.of("Content-Type", "application/json"),
                HUGE, false);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).contains("WEBHOOK_AUTH_TOKEN");
        assertThat(response.bytesSent()).isLessThan(HUGE);
        // Chunked, so no length to judge by: still refused before reading.
        LargeBodyPost.Response chunked = LargeBodyPost.post(port, "/", Map.of("Authorization", "Bearer nope"),
                HUGE, true);
        assertThat(chunked.status()).isEqualTo(401);
        assertThat(chunked.bytesSent()).isLessThan(HUGE);
        assertThat(SINK_REQUESTS).isEmpty();
    }

    @Test
    void anAuthenticatedHugeBodyIs413WithoutBeingRead() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            LargeBodyPost.Response response = LargeBodyPost.post(port, "/", Map.of("Content-Type",
                    "application/json", "Authorization", "Bearer " + TOKEN), HUGE, chunked);

            assertThat(response.status()).as("chunked=" + chunked).isEqualTo(413);
            assertThat(response.body()).contains("the limit is " + RequestLimits.DEFAULT_MAX_BODY_BYTES + " bytes");
            assertThat(response.bytesSent()).isLessThan(HUGE);
        }
        assertThat(SINK_REQUESTS).isEmpty();
    }

    @Test
    void saysWhatIsWrongWithAMalformedBody() throws Exception {
        HttpResponse<String> response = post("{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\"}]}"
                .getBytes(StandardCharsets.UTF_8), "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText())
                .isEqualTo("Records[0].s3.bucket.name is missing or empty");
    }

    /** MinIO retries every non-2xx forever: junk must be refused with a 4xx, never a 5xx. */
    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "42", "{\"Records\":null}", "{\"Records\":[null]}", "{\"Records\":[[]]}",
            "{\"Records\":[{\"eventName\":1}]}",
            "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                    + "\"object\":{\"key\":\"%\"}}}]}",
            "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"eventTime\":\"yesterday\",\"s3\":{\"bucket\":"
                    + "{\"name\":\"images\"},\"object\":{\"key\":\"a.jpg\"}}}]}",
            "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},"
                    + "\"object\":{\"key\":\"a.jpg\",\"size\":\"big\"}}}]}",
            "\u0000\u0001binary"})
    void junkIsRefusedWithA4xx(String body) throws Exception {
        HttpResponse<String> response = post(body.getBytes(StandardCharsets.UTF_8), "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isNotEmpty();
        assertThat(SINK_REQUESTS).isEmpty();
    }

    @Test
    void aRecordWhoseSourceCannotBeAUriIs400() throws Exception {
        byte[] body = new String(put("images", "a.jpg", "a.jpg"), StandardCharsets.UTF_8)
                .replace("\"eventSource\":\"minio:s3\"", "\"eventSource\":\"minio s3\"").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(body, "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("minio s3");
        assertThat(SINK_REQUESTS).isEmpty();
    }

    @Test
    void answers5xxWhenTheSinkRefusesSoMinioRetries() throws Exception {
        SINK_STATUS.set(503);

        HttpResponse<String> response = post(put("images", "a.jpg", "a.jpg"), "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("answered 503");
    }
}
