package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.local.RecordingReceiver.Received;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PostPolicy;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EmbeddedS3 driven by the MinIO Java SDK, with a real notifier posting to a recording receiver. */
class EmbeddedS3NotificationTest {

    private static final String IMAGES = "images";
    private static final String THUMBNAILS = "thumbnails";
    private static final String TOKEN = "s3cr3t";
    private static final byte[] SMALL = "not really a cat picture".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    private RecordingReceiver receiver;
    private WebhookNotifier notifier;
    private EmbeddedS3 s3;
    private MinioClient minio;

    @BeforeEach
    void startStack() throws IOException {
        receiver = RecordingReceiver.start();
        notifier = WebhookNotifier.start(new WebhookNotifier.Config(dataDir, receiver.uri(), TOKEN,
                Duration.ofMillis(100), Duration.ofSeconds(10)));
        startS3();
    }

    private void startS3() throws IOException {
        s3 = EmbeddedS3.start(EmbeddedS3.Config.of(dataDir, 0, Set.of(IMAGES, THUMBNAILS), Set.of(IMAGES)),
                notifier);
        minio = MinioClient.builder()
                .endpoint(s3.endpoint().toString())
                .credentials(EmbeddedS3.DEFAULT_ACCESS_KEY, EmbeddedS3.DEFAULT_SECRET_KEY)
                .region("us-east-1")
                .build();
    }

    /** Closes the client first: S3Proxy's graceful stop waits for its idle keep-alive connections otherwise. */
    private void stopS3() throws Exception {
        minio.close();
        s3.close();
    }

    @AfterEach
    void stopStack() throws Exception {
        if (minio != null) {
            minio.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void putSendsOneMinioPutEventWithEncodedKeyAndTheObjectsState() throws Exception {
        String key = "uploads/My Cat é+1.jpg";

        ObjectWriteResponse put = put(IMAGES, key, SMALL, Map.of("Job-Id", "job-42"));

        List<Received> events = eventsUpToMarker();
        assertThat(events).hasSize(1);
        Received request = events.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/minio/webhook");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.header("ce-id")).isNull();

        JsonNode body = request.json();
        assertThat(fieldNames(body)).containsExactly("EventName", "Key", "Records");
        assertThat(body.path("EventName").asText()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(body.path("Key").asText()).isEqualTo("images/uploads/My Cat é+1.jpg");
        assertThat(body.path("Records")).hasSize(1);
        JsonNode record = body.path("Records").get(0);
        assertThat(fieldNames(record)).containsExactly("eventVersion", "eventSource", "awsRegion", "eventTime",
                "eventName", "userIdentity", "requestParameters", "responseElements", "s3", "source");
        assertThat(record.path("eventName").asText()).isEqualTo("s3:ObjectCreated:Put");
        assertThat(record.path("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(record.path("userIdentity").path("principalId").asText()).isEqualTo("minioadmin");
        JsonNode response = record.path("responseElements");
        assertThat(response.path("x-amz-id-2").asText()).matches("[0-9a-f]{64}");
        assertThat(response.path("x-amz-request-id").asText()).matches("[0-9A-F]{16}");
        assertThat(response.path("x-minio-deployment-id").asText()).isEqualTo(s3.deploymentId());
        assertThat(response.path("x-minio-origin-endpoint").asText()).isEqualTo(s3.endpoint().toString());
        JsonNode object = record.path("s3").path("object");
        assertThat(fieldNames(object))
                .containsExactly("key", "size", "eTag", "contentType", "userMetadata", "sequencer");
        assertThat(object.path("key").asText()).isEqualTo("uploads%2FMy+Cat+%C3%A9%2B1.jpg");
        assertThat(object.path("size").asLong()).isEqualTo(SMALL.length);
        assertThat(object.path("eTag").asText()).isEqualTo(unquote(put.etag())).doesNotContain("\"");
        assertThat(object.path("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(object.path("userMetadata").toString())
                .isEqualTo("{\"X-Amz-Meta-Job-Id\":\"job-42\",\"content-type\":\"image/jpeg\"}");
        assertThat(object.path("sequencer").asText()).matches("[0-9A-F]{16}");

        S3EventRecord parsed = S3EventRecord.parseWebhookBody(request.body()).get(0);
        assertThat(parsed.eventName()).isEqualTo("ObjectCreated:Put");
        assertThat(parsed.bucket()).isEqualTo(IMAGES);
        assertThat(parsed.key()).isEqualTo(key);
        assertThat(parsed.size()).isEqualTo(SMALL.length);
        assertThat(parsed.eTag()).isEqualTo(unquote(put.etag()));
        assertThat(parsed.contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void copySendsOneCopyEventForTheDestination() throws Exception {
        put(IMAGES, "uploads/source.jpg", SMALL, Map.of("Job-Id", "job-7"));

        ObjectWriteResponse copy = minio.copyObject(CopyObjectArgs.builder()
                .bucket(IMAGES).object("uploads/copy.jpg")
                .source(CopySource.builder().bucket(IMAGES).object("uploads/source.jpg").build())
                .build());

        List<Received> events = eventsUpToMarker();
        assertThat(events).extracting(Received::eventName)
                .containsExactly("s3:ObjectCreated:Put", "s3:ObjectCreated:Copy");
        JsonNode copied = events.get(1).json();
        assertThat(copied.path("Key").asText()).isEqualTo("images/uploads/copy.jpg");
        JsonNode object = copied.path("Records").get(0).path("s3").path("object");
        assertThat(object.path("key").asText()).isEqualTo("uploads%2Fcopy.jpg");
        assertThat(object.path("eTag").asText()).isEqualTo(unquote(copy.etag())).doesNotContain("\"");
        assertThat(object.path("size").asLong()).isEqualTo(SMALL.length);
        assertThat(object.path("userMetadata").path("X-Amz-Meta-Job-Id").asText()).isEqualTo("job-7");
    }

    @Test
    void multipartUploadSendsOnlyCompleteMultipartUpload() throws Exception {
        int size = 6 * 1024 * 1024;
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31);
        }

        ObjectWriteResponse put = minio.putObject(PutObjectArgs.builder()
                .bucket(IMAGES).object("uploads/big.bin")
                .stream(new ByteArrayInputStream(data), size, 5 * 1024 * 1024)
                .contentType("application/octet-stream")
                .build());

        List<Received> events = eventsUpToMarker();
        assertThat(events).extracting(Received::eventName)
                .containsExactly("s3:ObjectCreated:CompleteMultipartUpload");
        assertThat(events).extracting(Received::topLevelKey).containsExactly("images/uploads/big.bin");
        JsonNode object = events.get(0).json().path("Records").get(0).path("s3").path("object");
        assertThat(object.path("size").asLong()).isEqualTo(size);
        assertThat(object.path("eTag").asText()).isEqualTo(unquote(put.etag()));
        assertThat(object.path("contentType").asText()).isEqualTo("application/octet-stream");
        assertThat(receiver.received()).extracting(Received::topLevelKey)
                .noneMatch(k -> k.contains(NotifyingBlobStore.MULTIPART_STUB_PREFIX));
    }

    @Test
    void removeObjectSendsDeleteWithOnlyKeyAndSequencer() throws Exception {
        put(IMAGES, "uploads/gone soon.jpg", SMALL, Map.of());

        minio.removeObject(RemoveObjectArgs.builder().bucket(IMAGES).object("uploads/gone soon.jpg").build());

        List<Received> events = eventsUpToMarker();
        assertThat(events).extracting(Received::eventName)
                .containsExactly("s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete");
        JsonNode deleted = events.get(1).json();
        assertThat(deleted.path("Key").asText()).isEqualTo("images/uploads/gone soon.jpg");
        JsonNode record = deleted.path("Records").get(0);
        assertThat(record.path("eventName").asText()).isEqualTo("s3:ObjectRemoved:Delete");
        JsonNode object = record.path("s3").path("object");
        assertThat(fieldNames(object)).containsExactly("key", "sequencer");
        assertThat(object.path("key").asText()).isEqualTo("uploads%2Fgone+soon.jpg");
        assertThat(object.path("sequencer").asText()).matches("[0-9A-F]{16}");
    }

    @Test
    void removeObjectsSendsOneDeletePerKey() throws Exception {
        put(IMAGES, "batch/a.jpg", SMALL, Map.of());
        put(IMAGES, "batch/b.jpg", SMALL, Map.of());

        Iterable<Result<DeleteError>> errors = minio.removeObjects(RemoveObjectsArgs.builder()
                .bucket(IMAGES)
                .objects(List.of(new DeleteObject("batch/a.jpg"), new DeleteObject("batch/b.jpg")))
                .build());
        for (Result<DeleteError> error : errors) {
            throw new AssertionError("delete failed: " + error.get().message());
        }

        List<Received> events = eventsUpToMarker();
        assertThat(events).extracting(Received::eventName).containsExactly("s3:ObjectCreated:Put",
                "s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:Delete");
        assertThat(events.subList(2, 4)).extracting(Received::topLevelKey)
                .containsExactlyInAnyOrder("images/batch/a.jpg", "images/batch/b.jpg");
    }

    @Test
    void aPutWhoseEventCannotBeQueuedFailsWith503AndItsRetrySucceeds() throws Exception {
        // Break the queue the way a full or vanished disk would: its directory is no directory any more.
        Path queue = notifier.queueDir();
        try (var files = java.nio.file.Files.list(queue)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        java.nio.file.Files.delete(queue);
        java.nio.file.Files.writeString(queue, "not a directory");

        io.minio.errors.ErrorResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.minio.errors.ErrorResponseException.class, () -> put(IMAGES, "uploads/unqueued.jpg", SMALL,
                        Map.of()));

        assertThat(refused.response().code()).isEqualTo(503);
        assertThat(refused.errorResponse().code()).isEqualTo("SlowDown");
        assertThat(refused.errorResponse().message()).contains("could not be queued")
                .contains("send the request again");
        // The bytes were written and are kept: the retry rewrites them.
        assertThat(minio.statObject(StatObjectArgs.builder().bucket(IMAGES).object("uploads/unqueued.jpg").build())
                .size()).isEqualTo(SMALL.length);

        java.nio.file.Files.delete(queue);
        java.nio.file.Files.createDirectories(queue);
        put(IMAGES, "uploads/unqueued.jpg", SMALL, Map.of());

        assertThat(eventsUpToMarker()).extracting(Received::topLevelKey).containsExactly("images/uploads/unqueued.jpg");
    }

    @Test
    void deletingAMissingKeySendsNothing() throws Exception {
        minio.removeObject(RemoveObjectArgs.builder().bucket(IMAGES).object("never/was.jpg").build());

        assertThat(eventsUpToMarker()).isEmpty();
    }

    @Test
    void writesToABucketThatIsNotWatchedSendNothing() throws Exception {
        put(THUMBNAILS, "uploads/My Cat.jpg", SMALL, Map.of());
        minio.copyObject(CopyObjectArgs.builder()
                .bucket(THUMBNAILS).object("uploads/copy.jpg")
                .source(CopySource.builder().bucket(THUMBNAILS).object("uploads/My Cat.jpg").build())
                .build());
        minio.removeObject(RemoveObjectArgs.builder().bucket(THUMBNAILS).object("uploads/My Cat.jpg").build());

        assertThat(eventsUpToMarker()).isEmpty();
    }

    @Test
    void browserFormPostSendsPostEvent() throws Exception {
        String key = "uploads/from a form.jpg";
        PostPolicy policy = new PostPolicy(IMAGES, ZonedDateTime.now().plusMinutes(10));
        policy.addEqualsCondition("key", key);
        policy.addStartsWithCondition("Content-Type", "image/");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("Content-Type", "image/jpeg");
        fields.putAll(minio.getPresignedPostFormData(policy));

        int status = postForm(URI.create(s3.endpoint() + "/" + IMAGES), fields, SMALL);

        assertThat(status).isBetween(200, 299);
        List<Received> events = eventsUpToMarker();
        assertThat(events).extracting(Received::eventName).containsExactly("s3:ObjectCreated:Post");
        assertThat(events).extracting(Received::topLevelKey).containsExactly("images/" + key);
        JsonNode object = events.get(0).json().path("Records").get(0).path("s3").path("object");
        assertThat(object.path("size").asLong()).isEqualTo(SMALL.length);
        assertThat(object.path("contentType").asText()).isEqualTo("image/jpeg");
    }

    @Test
    void objectsSurviveARestartOnTheSameDataDir() throws Exception {
        put(IMAGES, "uploads/keep me.jpg", SMALL, Map.of("Job-Id", "job-9"));
        String deploymentId = s3.deploymentId();
        stopS3();

        startS3();

        try (InputStream in = minio.getObject(GetObjectArgs.builder()
                .bucket(IMAGES).object("uploads/keep me.jpg").build())) {
            assertThat(in.readAllBytes()).isEqualTo(SMALL);
        }
        StatObjectResponse stat = minio.statObject(StatObjectArgs.builder()
                .bucket(IMAGES).object("uploads/keep me.jpg").build());
        assertThat(stat.contentType()).isEqualTo("image/jpeg");
        assertThat(stat.userMetadata()).containsEntry("job-id", "job-9");
        assertThat(s3.deploymentId()).isEqualTo(deploymentId);
    }

    private ObjectWriteResponse put(String bucket, String key, byte[] data, Map<String, String> metadata)
            throws Exception {
        return minio.putObject(PutObjectArgs.builder()
                .bucket(bucket).object(key)
                .stream(new ByteArrayInputStream(data), data.length, -1)
                .contentType("image/jpeg")
                .userMetadata(metadata)
                .build());
    }

    /**
     * Puts a marker object into the watched bucket and returns the events received before its own. Events are
     * queued on the request thread before the S3 response and delivered in order, so anything an earlier request
     * emitted (a duplicate included) arrives before the marker: no need to wait and hope.
     */
    private List<Received> eventsUpToMarker() throws Exception {
        String marker = "zz-marker-" + System.nanoTime() + ".txt";
        put(IMAGES, marker, new byte[] {1}, Map.of());
        List<Received> all = receiver.awaitKey(IMAGES + "/" + marker);
        List<Received> before = new ArrayList<>();
        for (Received received : all) {
            if (received.topLevelKey().equals(IMAGES + "/" + marker)) {
                break;
            }
            before.add(received);
        }
        return before;
    }

    private static int postForm(URI uri, Map<String, String> fields, byte[] file)
            throws IOException, InterruptedException {
        String boundary = "----knthumbnails" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("POST Object answered " + response.statusCode() + ": " + response.body());
        }
        return response.statusCode();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String unquote(String eTag) {
        return S3EventRecord.unquote(eTag);
    }
}
