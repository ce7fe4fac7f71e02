package io.github.knthumbnails.resize;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.MinioKeys;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The resize function over real HTTP against a real S3 server, with real CloudEvents. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResizeIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private static final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Uploads bytes and returns the CloudEvent the minio-source would send for that upload. */
    private static CloudEvent uploaded(String key, byte[] bytes) {
        store.put("images", key, bytes, "image/jpeg", Map.of());
        return eventFor(key, store.stat("images", key).orElseThrow().eTag(), "s3:ObjectCreated:Put");
    }

    private static CloudEvent eventFor(String key, String eTag, String eventName) {
        byte[] body = MinioWebhookBodies.webhook(eventName, "images", MinioKeys.encode(key), key, eTag);
        return S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(body).get(0), Map.of());
    }

    private HttpResponse<byte[]> postBinary(CloudEvent event) throws Exception {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        request.header("ce-knativearrivaltime", "2026-11-23T10:15:31Z");
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> postStructured(CloudEvent event) throws Exception {
        ObjectNode json = JSON.createObjectNode().put("specversion", "1.0").put("id", event.getId())
                .put("source", event.getSource().toString()).put("type", event.getType())
                .put("subject", event.getSubject()).put("time", event.getTime().toString())
                .put("datacontenttype", "application/json");
        json.set("data", JSON.readTree(event.getData().toBytes()));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JobRecord jobRecord(String key) {
        return new JobStore(store, "thumbnails").read("images", key).orElseThrow();
    }

    @Test
    void aBinaryModeEventProducesTheThumbnailAndASucceededRecord() throws Exception {
        CloudEvent event = uploaded("uploads/My Cat é.jpg", jpeg(640, 480));

        HttpResponse<byte[]> response = postBinary(event);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(
                store.getIfMatch("thumbnails", "renditions/thumb/images/uploads/My Cat é.jpg",
                        store.stat("thumbnails", "renditions/thumb/images/uploads/My Cat é.jpg").orElseThrow().eTag(),
                        1_000_000).orElseThrow()));
        assertThat(thumb.getWidth()).isEqualTo(100);
        assertThat(thumb.getHeight()).isEqualTo(100);
        JobRecord record = jobRecord("uploads/My Cat é.jpg");
        assertThat(record.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(record.sourceETag()).isEqualTo(store.stat("images", "uploads/My Cat é.jpg").orElseThrow().eTag());
        assertThat(record.renditions()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("thumb");
            assertThat(r.width()).isEqualTo(100);
            assertThat(r.contentType()).isEqualTo("image/jpeg");
        });
    }

    /** Spring Cloud Function echoes request headers; a ce-* one in a response is a reply event to the Broker. */
    @Test
    void theResponseToABinaryModeEventCarriesNoCloudEventHeaders() throws Exception {
        HttpResponse<byte[]> response = postBinary(uploaded("echo.jpg", jpeg(200, 100)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ce-"));
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aStructuredModeEventWorksToo() throws Exception {
        HttpResponse<byte[]> response = postStructured(uploaded("structured/Ünïcødé.jpg", jpeg(300, 300)));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ce-"));
        assertThat(jobRecord("structured/Ünïcødé.jpg").state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aPdfNamedPngIsRecordedFailedAndTheSourceIsUntouched() throws Exception {
        byte[] pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        CloudEvent event = uploaded("doc.png", pdf);
        ObjectInfo before = store.stat("images", "doc.png").orElseThrow();

        assertThat(postBinary(event).statusCode()).isEqualTo(200);

        JobRecord record = jobRecord("doc.png");
        assertThat(record.state()).isEqualTo(JobState.FAILED);
        assertThat(record.error().errorClass()).isEqualTo("unsupported_format");
        assertThat(record.error().message()).contains("PDF");
        assertThat(store.stat("images", "doc.png").orElseThrow()).isEqualTo(before);
        assertThat(store.getIfMatch("images", "doc.png", before.eTag(), 1000)).hasValue(pdf);
        assertThat(store.stat("thumbnails", "renditions/thumb/images/doc.png")).isEmpty();
    }

    /**
     * Nothing is written for the overwritten version; the current one is brought to a final record, so a stale
     * event can never leave it without one (issue 8, finding 5).
     */
    @Test
    void anEventForAnOverwrittenVersionWritesNothingForItAndFollowsTheCurrentOne() throws Exception {
        CloudEvent stale = uploaded("overwritten.jpg", jpeg(100, 80));
        store.put("images", "overwritten.jpg", jpeg(90, 90), "image/jpeg", Map.of());
        String current = store.stat("images", "overwritten.jpg").orElseThrow().eTag();

        assertThat(postBinary(stale).statusCode()).isEqualTo(200);

        assertThat(jobRecord("overwritten.jpg").sourceETag()).isEqualTo(current);
        assertThat(jobRecord("overwritten.jpg").state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void aRedeliveredEventLeavesTheFinishedJobAsItIs() throws Exception {
        CloudEvent event = uploaded("twice.jpg", jpeg(500, 400));
        postBinary(event);
        ObjectInfo rendition = store.stat("thumbnails", "renditions/thumb/images/twice.jpg").orElseThrow();
        JobRecord record = jobRecord("twice.jpg");

        assertThat(postBinary(event).statusCode()).isEqualTo(200);

        assertThat(store.stat("thumbnails", "renditions/thumb/images/twice.jpg").orElseThrow()).isEqualTo(rendition);
        assertThat(jobRecord("twice.jpg")).isEqualTo(record);
    }

    /** A job cut short (record still processing) is redone on redelivery, with byte-identical renditions. */
    @Test
    void aRedeliveredEventOfAnUnfinishedJobRewritesIdenticalRenditions() throws Exception {
        CloudEvent event = uploaded("cut-short.jpg", jpeg(500, 400));
        postBinary(event);
        String thumbnailETag = store.stat("thumbnails", "renditions/thumb/images/cut-short.jpg").orElseThrow().eTag();
        String sourceETag = store.stat("images", "cut-short.jpg").orElseThrow().eTag();
        new JobStore(store, "thumbnails").write("images", "cut-short.jpg",
                JobRecord.processing(sourceETag, java.time.Instant.now()));

        assertThat(postBinary(event).statusCode()).isEqualTo(200);

        assertThat(jobRecord("cut-short.jpg").state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.stat("thumbnails", "renditions/thumb/images/cut-short.jpg").orElseThrow().eTag())
                .isEqualTo(thumbnailETag);
    }

    @Test
    void eventsThatCreateNoContentAreAcknowledgedAndIgnored() throws Exception {
        store.put("images", "deleted.jpg", jpeg(50, 50), "image/jpeg", Map.of());
        CloudEvent removed = eventFor("deleted.jpg", "e", "s3:ObjectRemoved:Delete");
        CloudEvent tagged = eventFor("deleted.jpg", "e", "s3:ObjectCreated:PutTagging");

        assertThat(postBinary(removed).statusCode()).isEqualTo(200);
        assertThat(postBinary(tagged).statusCode()).isEqualTo(200);
        assertThat(store.stat("thumbnails", "jobs/images/deleted.jpg")).isEmpty();
    }

    /** MinIO cannot hold such a key; an event naming one (from another S3 server) is acknowledged, not retried. */
    @Test
    void anEventForAKeyMinioCannotStoreIsAcknowledged() throws Exception {
        assertThat(postBinary(eventFor("odd/../up.jpg", "e", "s3:ObjectCreated:Put")).statusCode()).isEqualTo(200);
        assertThat(postBinary(eventFor("x".repeat(1020) + ".jpg", "e", "s3:ObjectCreated:Put")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aStructuredBodyThatIsNotJsonGets400() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\": \"1.0\", ")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void anS3EventWhoseDataIsNoRecordGets400() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("ce-specversion", "1.0").header("ce-id", "1").header("ce-source", "minio:s3..images")
                .header("ce-type", "com.amazonaws.s3.ObjectCreated:Put").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[1,2]")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("record is not a JSON object");
    }

    @Test
    void aRequestThatIsNoCloudEventGets400WithAReason() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/json").header("ce-id", "1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText()).contains("CloudEvent");
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ce-"));
    }

    static byte[] jpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.RED, width, height, Color.BLUE));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpeg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
