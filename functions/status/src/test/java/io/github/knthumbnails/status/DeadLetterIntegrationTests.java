package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /dead-letter} over real HTTP with real CloudEvents, against a real S3 server: what a Knative
 * Broker sends its dead-letter sink once the resize Trigger's retries are exhausted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "STATUS_ROUTES=all")
class DeadLetterIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails", "unwatched");
    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final String DEST = "http://resize.thumbnails.svc.cluster.local";
    private static ObjectStore store;
    private static JobStore jobs;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @BeforeAll
    static void connect() {
        store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL, S3TestServer.CREDENTIAL,
                "us-east-1"));
        jobs = new JobStore(store, "thumbnails");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private static String upload(String key, String content) {
        store.put("images", key, content.getBytes(StandardCharsets.UTF_8), "image/jpeg", Map.of());
        return store.stat("images", key).orElseThrow().eTag();
    }

    /** The S3 CloudEvent the minio-source made for this upload, as the Broker dead-letters it. */
    private static CloudEvent deadLettered(String bucket, String key, String eTag) {
        String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
        CloudEvent original = S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(
                MinioWebhookBodies.webhook("s3:ObjectCreated:Put", bucket, encoded, key, eTag)).get(0), Map.of());
        return CloudEventBuilder.v1(original)
                .withExtension("knativeerrorcode", "503")
                .withExtension("knativeerrordest", DEST)
                .withExtension("knativeerrordata", Base64.getEncoder().encodeToString(
                        "{\"error\":\"object storage unreachable\"}".getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private HttpResponse<String> post(Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/dead-letter"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postBinary(CloudEvent event) throws Exception {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        return post(message.headers(), message.body());
    }

    private JsonNode status(String key) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/status/images/" + key.replace(" ", "%20"))).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    @Test
    void aDeadLetteredUploadShowsFailedWithTheHttpCodeAndDestination() throws Exception {
        String key = "uploads/dead letter.jpg";
        String eTag = upload(key, "never resized");

        HttpResponse<String> response = postBinary(deadLettered("images", key, eTag));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ce-"));
        JsonNode body = status(key);
        assertThat(body.path("status").asText()).isEqualTo("failed");
        assertThat(body.path("error").path("class").asText()).isEqualTo("delivery_failed");
        assertThat(body.path("error").path("message").asText())
                .contains("HTTP 503").contains(DEST).contains("object storage unreachable");
        // The source is only read.
        assertThat(store.stat("images", key).orElseThrow().eTag()).isEqualTo(eTag);
        assertThat(store.getIfMatch("images", key, eTag, 1000).orElseThrow())
                .isEqualTo("never resized".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void structuredModeIsAcceptedToo() throws Exception {
        String key = "structured.jpg";
        String eTag = upload(key, "structured");
        byte[] body = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE)
                .serialize(deadLettered("images", key, eTag));

        HttpResponse<String> response = post(Map.of("Content-Type", "application/cloudevents+json; charset=UTF-8"),
                body);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(jobs.read("images", key).orElseThrow().error().errorClass()).isEqualTo("delivery_failed");
    }

    @Test
    void aJobThatAlreadyFinishedForThatEtagIsLeftAlone() throws Exception {
        String key = "done.jpg";
        String eTag = upload(key, "done");
        JobRecord succeeded = JobRecord.succeeded(eTag, T0, T0.plusMillis(40),
                List.of(new RenditionInfo("thumb", 100, 100, "image/jpeg", 1234, "100x100:cover:80:jpeg")));
        jobs.write("images", key, succeeded);

        assertThat(postBinary(deadLettered("images", key, eTag)).statusCode()).isEqualTo(202);

        assertThat(jobs.read("images", key)).contains(succeeded);
    }

    /** Issue 8, finding 1: an engine verdict is final; a dead letter (forged or not) leaves it as it is. */
    @Test
    void anEngineVerdictIsLeftAlone() throws Exception {
        String key = "verdict.jpg";
        String eTag = upload(key, "%PDF-1.4");
        JobRecord verdict = JobRecord.failed(eTag, T0, T0.plusMillis(3),
                new io.github.knthumbnails.storage.JobError("unsupported_format", "a PDF, not an image"));
        jobs.write("images", key, verdict);

        assertThat(postBinary(deadLettered("images", key, eTag)).statusCode()).isEqualTo(202);

        assertThat(jobs.read("images", key)).contains(verdict);
    }

    /**
     * Issue 8, finding 1: a failure that is no engine verdict is not final, so a later dead letter replaces it
     * (and a later delivery would reprocess it).
     */
    @Test
    void aNonFinalFailureIsReplaced() throws Exception {
        String key = "conflict.jpg";
        String eTag = upload(key, "conflict");
        jobs.write("images", key, JobRecord.failed(eTag, T0, T0.plusMillis(3),
                new io.github.knthumbnails.storage.JobError("key_conflict", "in the way")));

        assertThat(postBinary(deadLettered("images", key, eTag)).statusCode()).isEqualTo(202);

        assertThat(jobs.read("images", key).orElseThrow().error().errorClass()).isEqualTo("delivery_failed");
    }

        @Test
    void aJobCutShortWhileProcessingBecomesFailedAndKeepsItsStart() throws Exception {
        String key = "cut-short.jpg";
        String eTag = upload(key, "cut short");
        jobs.write("images", key, JobRecord.processing(eTag, T0));

        postBinary(deadLettered("images", key, eTag));

        JobRecord record = jobs.read("images", key).orElseThrow();
        assertThat(record.state()).isEqualTo(JobState.FAILED);
        assertThat(record.started()).isEqualTo(T0);
        assertThat(record.finished()).isAfter(T0);
    }

    @Test
    void aDeadLetterForAnOverwrittenVersionWritesNothing() throws Exception {
        String key = "overwritten.jpg";
        String oldETag = upload(key, "old");
        String newETag = upload(key, "new");
        jobs.write("images", key, JobRecord.processing(newETag, T0));

        assertThat(postBinary(deadLettered("images", key, oldETag)).statusCode()).isEqualTo(202);

        assertThat(jobs.read("images", key).orElseThrow().state()).isEqualTo(JobState.PROCESSING);
    }

    @Test
    void aDeadLetterThatNamesNoETagWritesNothing() throws Exception {
        String key = "no-etag.jpg";
        String eTag = upload(key, "pending");

        assertThat(postBinary(deadLettered("images", key, null)).statusCode()).isEqualTo(202);

        assertThat(jobs.read("images", key)).isEmpty();
        assertThat(store.stat("images", key).orElseThrow().eTag()).isEqualTo(eTag);
    }

    @Test
    void anUnwatchedBucketIsAcknowledgedAndNothingIsWritten() throws Exception {
        store.put("unwatched", "x.jpg", new byte[] {1}, "image/jpeg", Map.of());
        String eTag = store.stat("unwatched", "x.jpg").orElseThrow().eTag();

        assertThat(postBinary(deadLettered("unwatched", "x.jpg", eTag)).statusCode()).isEqualTo(202);

        assertThat(jobs.read("unwatched", "x.jpg")).isEmpty();
    }

    @Test
    void aRequestThatIsNoS3CloudEventIs400WithAMessage() throws Exception {
        HttpResponse<String> notAnEvent = post(Map.of("Content-Type", "application/json"), "{}".getBytes());
        assertThat(notAnEvent.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notAnEvent.body()).path("error").asText()).contains("not a valid CloudEvent");

        HttpResponse<String> otherType = post(Map.of("ce-specversion", "1.0", "ce-id", "1", "ce-source", "/x",
                "ce-type", "dev.example.other", "Content-Type", "application/json"), "{}".getBytes());
        assertThat(otherType.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(otherType.body()).path("error").asText()).contains("not an S3 event type");
        assertThat(otherType.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ce-"));
    }
}
