package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.testsupport.SharedTestData;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The record format, checked against real MinIO captures in {@code shared/testdata/events/minio/}. */
class MinioEventsTest {

    private final MinioEvents events = new MinioEvents("minioadmin", "2369dcb4-348b-4d30-8fc9-61ab089ba4bc",
            URI.create("http://127.0.0.1:9000"));

    private static JsonNode fixture(String name) throws IOException {
        Path file = SharedTestData.require("testdata/events/minio/" + name);
        return RecordingReceiver.JSON.readTree(Files.readAllBytes(file));
    }

    private static JsonNode parse(byte[] body) throws IOException {
        return RecordingReceiver.JSON.readTree(body);
    }

    @Test
    void putBodyHasTheFieldsOfARealMinioPutInTheSameOrderWithTheSameValues() throws IOException {
        JsonNode real = fixture("webhook-put-aistor-2025.json");
        JsonNode realRecord = real.path("Records").get(0);
        JsonNode realObject = realRecord.path("s3").path("object");
        Instant eventTime = Instant.parse(realRecord.path("eventTime").asText());
        Instant modified = Instant.EPOCH.plusNanos(Long.parseUnsignedLong(realObject.path("sequencer").asText(), 16));
        var state = new MinioEvents.ObjectState(realObject.path("size").asLong(), realObject.path("eTag").asText(),
                "image/jpeg", new TreeMap<>(Map.of("content-type", "image/jpeg")), modified);

        JsonNode ours = parse(events.webhookBody("s3:ObjectCreated:Put", "test-bucket", "image.jpg", state, eventTime));

        assertThat(paths(ours)).containsExactlyElementsOf(paths(real));
        JsonNode record = ours.path("Records").get(0);
        assertThat(ours.path("EventName")).isEqualTo(real.path("EventName"));
        assertThat(ours.path("Key")).isEqualTo(real.path("Key"));
        assertThat(record.path("s3").path("object")).isEqualTo(realObject);
        assertThat(record.path("s3").path("bucket").path("arn")).isEqualTo(realRecord.path("s3").path("bucket")
                .path("arn"));
        for (String field : List.of("eventVersion", "eventSource", "awsRegion", "eventTime", "eventName")) {
            assertThat(record.path(field)).as(field).isEqualTo(realRecord.path(field));
        }
        assertThat(record.path("source").path("port")).isEqualTo(realRecord.path("source").path("port"));
        assertThat(record.path("s3").path("s3SchemaVersion")).isEqualTo(realRecord.path("s3").path("s3SchemaVersion"));
        assertThat(record.path("s3").path("configurationId")).isEqualTo(realRecord.path("s3").path("configurationId"));
    }

    @Test
    void deleteBodyHasOnlyKeyAndSequencerLikeMinio() throws IOException {
        JsonNode expected = fixture("derived-delete-plain.json");
        var state = new MinioEvents.ObjectState(5, "abc", "image/jpeg", new TreeMap<>(), Instant.now());

        JsonNode ours = parse(events.webhookBody("s3:ObjectRemoved:Delete", "test-bucket", "image.jpg", state,
                Instant.now()));

        assertThat(paths(ours)).containsExactlyElementsOf(paths(expected));
    }

    @Test
    void encodesTheKeyLikeMinioAndTheEventsModuleDecodesIt() throws IOException {
        JsonNode expected = fixture("derived-put-plus-space-unicode-key.json");
        var state = new MinioEvents.ObjectState(1, "e", "image/jpeg", new TreeMap<>(), Instant.now());

        byte[] body = events.webhookBody("s3:ObjectCreated:Put", "test-bucket", "photos/Tile +002 é.jpg", state,
                Instant.now());

        JsonNode ours = parse(body);
        assertThat(ours.path("Key")).isEqualTo(expected.path("Key"));
        assertThat(ours.path("Records").get(0).path("s3").path("object").path("key"))
                .isEqualTo(expected.path("Records").get(0).path("s3").path("object").path("key"));
        assertThat(S3EventRecord.parseWebhookBody(body).get(0).key()).isEqualTo("photos/Tile +002 é.jpg");
    }

    @Test
    void omitsSizeETagContentTypeAndMetadataWhenEmpty() throws IOException {
        var empty = new MinioEvents.ObjectState(0, "", null, new TreeMap<>(), null);

        JsonNode ours = parse(events.webhookBody("s3:ObjectCreated:Put", "images", "empty", empty, Instant.now()));

        assertThat(fieldNames(ours.path("Records").get(0).path("s3").path("object")))
                .containsExactly("key", "sequencer");
    }

    @Test
    void objectStateUsesMinioMetadataSpellingAndDropsS3ProxyKeys() {
        HeadObjectResponse head = HeadObjectResponse.builder()
                .contentLength(3L)
                .eTag("\"5d41402abc4b2a76b9719d911017c592\"")
                .contentType("image/png")
                .metadata(Map.of("job-id", "job-42", "original_name", "x", "s3proxy_checksum_crc32c", "AAAA"))
                .lastModified(Instant.parse("2026-01-02T03:04:05.678Z"))
                .build();

        var state = MinioEvents.ObjectState.of(head);

        assertThat(state.eTag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(state.size()).isEqualTo(3);
        assertThat(state.userMetadata()).containsExactly(
                Map.entry("X-Amz-Meta-Job-Id", "job-42"),
                Map.entry("X-Amz-Meta-Original_name", "x"),
                Map.entry("content-type", "image/png"));
    }

    @Test
    void canonicalHeaderKeyBehavesLikeGo() {
        assertThat(MinioEvents.canonicalHeaderKey("x-amz-meta-job-id")).isEqualTo("X-Amz-Meta-Job-Id");
        assertThat(MinioEvents.canonicalHeaderKey("X-AMZ-META-ID")).isEqualTo("X-Amz-Meta-Id");
        assertThat(MinioEvents.canonicalHeaderKey("x-amz-meta-has space")).isEqualTo("x-amz-meta-has space");
    }

    @Test
    void sequencerIsUpperCaseHexOfNanoseconds() {
        assertThat(MinioEvents.sequencer(Instant.EPOCH.plusNanos(0x182178E8B3728CACL))).isEqualTo("182178E8B3728CAC");
    }

    @Test
    void escapesHtmlCharactersLikeGoEncodingJson() {
        var state = new MinioEvents.ObjectState(1, "e", "image/jpeg", new TreeMap<>(), Instant.now());

        byte[] body = events.webhookBody("s3:ObjectCreated:Put", "images", "a&b<c>.jpg", state, Instant.now());

        assertThat(new String(body, StandardCharsets.UTF_8))
                .contains("\"Key\":\"images/a\\u0026b\\u003cc\\u003e.jpg\"");
    }

    /** Every field path of a JSON tree, in document order. */
    private static List<String> paths(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String prefix, List<String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String path = prefix + "/" + field.getKey();
                out.add(path);
                collect(field.getValue(), path, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), prefix + "/" + i, out);
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
