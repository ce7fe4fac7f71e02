package io.github.knthumbnails.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knthumbnails.testsupport.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class S3EventRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> capturedEnvelopes() throws IOException {
        Path dir = SharedTestData.require("testdata/events/minio");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        return files.stream().filter(S3EventRecordTest::hasRecordsArray);
    }

    private static boolean hasRecordsArray(Path file) {
        try {
            return JSON.readTree(file.toFile()).path("Records").isArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** MinIO's top-level Key is bucket + "/" + the decoded key: an independent check of our decoding. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("capturedEnvelopes")
    void parsesEveryCapturedEnvelopeAndDecodesTheKeyAsMinioDoes(Path file) throws IOException {
        byte[] body = Files.readAllBytes(file);
        JsonNode envelope = JSON.readTree(body);

        List<S3EventRecord> records = S3EventRecord.parseWebhookBody(body);

        assertThat(records).hasSize(1);
        S3EventRecord record = records.get(0);
        assertThat(record.bucket() + "/" + record.key()).isEqualTo(envelope.path("Key").asText());
        assertThat(JSON.readTree(record.json())).isEqualTo(envelope.path("Records").get(0));
    }

    @Test
    void readsTheFieldsOfACurrentMinioPut() throws IOException {
        S3EventRecord record = single("testdata/events/minio/webhook-put-aistor-2025.json");

        assertThat(record.eventName()).isEqualTo("ObjectCreated:Put");
        assertThat(record.eventSource()).isEqualTo("minio:s3");
        assertThat(record.awsRegion()).isEmpty();
        assertThat(record.eventTime()).hasToString("2025-02-06T01:04:31.998Z");
        assertThat(record.bucket()).isEqualTo("test-bucket");
        assertThat(record.key()).isEqualTo("image.jpg");
        assertThat(record.size()).isEqualTo(84452L);
        assertThat(record.eTag()).isEqualTo("eb52f8e46f60a27a8a1a704e25757f30");
        assertThat(record.contentType()).isEqualTo("image/jpeg");
        assertThat(record.versionId()).isNull();
        assertThat(record.requestId()).isEqualTo("182178E8B36AC9DF");
        assertThat(record.amzId2()).startsWith("dd9025ba");
    }

    @Test
    void aRemovedObjectHasNoSizeOrETag() throws IOException {
        S3EventRecord record = single("testdata/events/minio/derived-delete-plain.json");

        assertThat(record.eventName()).startsWith("ObjectRemoved:");
        assertThat(record.size()).isNull();
        assertThat(record.eTag()).isNull();
    }

    @Test
    void aBareRecordWithoutTheWebhookEnvelopeIsRejected() {
        byte[] body = bytes(SharedTestData.require("testdata/events/minio/redis-record-complete-multipart-2019.json"));

        assertThatThrownBy(() -> S3EventRecord.parseWebhookBody(body))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("no Records array");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  \n"})
    void anEmptyBodyIsMiniosRegistrationProbeAndHasNoRecords(String body) {
        assertThat(S3EventRecord.parseWebhookBody(body.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void reportsWhatIsMissing() {
        String body = "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"object\":{\"key\":\"a.jpg\"}}}]}";

        assertThatThrownBy(() -> S3EventRecord.parseWebhookBody(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("Records[0].s3.bucket.name is missing or empty");
    }

    @Test
    void rejectsABodyThatIsNotJson() {
        assertThatThrownBy(() -> S3EventRecord.parseWebhookBody("EventName=put".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("body is not JSON");
    }

    @Test
    void unquotesETags() {
        assertThat(S3EventRecord.unquote("\"abc-2\"")).isEqualTo("abc-2");
        assertThat(S3EventRecord.unquote("abc")).isEqualTo("abc");
        assertThat(S3EventRecord.unquote(null)).isNull();
    }

    static S3EventRecord single(String relative) throws IOException {
        return S3EventRecord.parseWebhookBody(bytes(SharedTestData.require(relative))).get(0);
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
