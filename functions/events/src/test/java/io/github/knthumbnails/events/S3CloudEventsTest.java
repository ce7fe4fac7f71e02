package io.github.knthumbnails.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3CloudEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3EventRecord record(String eventName, String encodedKey) {
        return S3EventRecord.parseWebhookBody(MinioWebhookBodies.webhook(eventName, "images", encodedKey,
                MinioKeys.decode(encodedKey), "5fc7298143efe1276d39a3466d4e255f-3")).get(0);
    }

    @Test
    void mapsAPutOfAnEncodedKeyPerTheS3Adapter() throws IOException {
        S3EventRecord record = record("s3:ObjectCreated:Put", "uploads%2FMy+Cat+%C3%A9.jpg");

        CloudEvent event = S3CloudEvents.toCloudEvent(record, Map.of());

        assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(event.getType()).isEqualTo("com.amazonaws.s3.ObjectCreated:Put");
        assertThat(event.getSource()).isEqualTo(URI.create("minio:s3..images"));
        assertThat(event.getSubject()).isEqualTo("uploads/My Cat é.jpg");
        assertThat(event.getTime()).hasToString("2026-11-23T10:15:30.123Z");
        assertThat(event.getId()).matches("187A2C3F5B0D9E11\\.[0-9a-f]{16}");
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(JSON.readTree(event.getData().toBytes()).path("s3").path("object").path("key").asText())
                .isEqualTo("uploads%2FMy+Cat+%C3%A9.jpg");
    }

    @ParameterizedTest
    @CsvSource({
            "s3:ObjectCreated:CompleteMultipartUpload, com.amazonaws.s3.ObjectCreated:CompleteMultipartUpload",
            "s3:ObjectCreated:Copy, com.amazonaws.s3.ObjectCreated:Copy",
            "s3:ObjectCreated:Post, com.amazonaws.s3.ObjectCreated:Post",
            "s3:ObjectRemoved:Delete, com.amazonaws.s3.ObjectRemoved:Delete",
    })
    void typeIsTheEventNameWithoutMiniosPrefix(String eventName, String type) {
        CloudEvent event = S3CloudEvents.toCloudEvent(record(eventName, "a.jpg"), Map.of());

        assertThat(event.getType()).isEqualTo(type);
    }

    @Test
    void theIdIsStableAcrossRedeliveryAndUniquePerObjectOfOneRequest() {
        S3EventRecord a = record("s3:ObjectRemoved:Delete", "a.jpg");
        S3EventRecord again = record("s3:ObjectRemoved:Delete", "a.jpg");
        S3EventRecord b = record("s3:ObjectRemoved:Delete", "b.jpg");

        assertThat(S3CloudEvents.toCloudEvent(a, Map.of()).getId())
                .isEqualTo(S3CloudEvents.toCloudEvent(again, Map.of()).getId())
                .isNotEqualTo(S3CloudEvents.toCloudEvent(b, Map.of()).getId());
    }

    @Test
    void aRegionBecomesPartOfTheSource() {
        byte[] body = new String(MinioWebhookBodies.webhook("s3:ObjectCreated:Put", "images", "a.jpg", "a.jpg", "e"),
                java.nio.charset.StandardCharsets.UTF_8).replace("\"awsRegion\":\"\"", "\"awsRegion\":\"us-east-1\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        CloudEvent event = S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(body).get(0), Map.of());

        assertThat(event.getSource()).hasToString("minio:s3.us-east-1.images");
    }

    @Test
    void addsOverrideExtensions() {
        CloudEvent event = S3CloudEvents.toCloudEvent(record("s3:ObjectCreated:Put", "a.jpg"),
                Map.of("cluster", "eu1"));

        assertThat(event.getExtension("cluster")).isEqualTo("eu1");
    }

    @Test
    void recordOfReadsBackTheRecord() {
        S3EventRecord record = record("s3:ObjectCreated:CompleteMultipartUpload", "uploads%2FMy+Cat+%C3%A9.jpg");

        S3EventRecord back = S3CloudEvents.recordOf(S3CloudEvents.toCloudEvent(record, Map.of()));

        assertThat(back.key()).isEqualTo("uploads/My Cat é.jpg");
        assertThat(back.eventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
        assertThat(back.eTag()).isEqualTo("5fc7298143efe1276d39a3466d4e255f-3");
        assertThat(back.size()).isEqualTo(2913134L);
    }

    @Test
    void recordOfRejectsASubjectThatDisagreesWithTheData() {
        CloudEvent event = CloudEventBuilder.v1(S3CloudEvents.toCloudEvent(record("s3:ObjectCreated:Put", "a.jpg"),
                Map.of())).withSubject("b.jpg").build();

        assertThatThrownBy(() -> S3CloudEvents.recordOf(event))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("subject 'b.jpg' disagrees");
    }

    @Test
    void recordOfRejectsNonS3Events() {
        CloudEvent event = CloudEventBuilder.v1().withId("1").withSource(URI.create("/x"))
                .withType("dev.example.other").build();

        assertThatThrownBy(() -> S3CloudEvents.recordOf(event))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("not an S3 event type");
    }

    @Test
    void eventNameGroups() {
        assertThat(S3EventNames.createsContent("ObjectCreated:Put")).isTrue();
        assertThat(S3EventNames.createsContent("ObjectCreated:PutTagging")).isFalse();
        assertThat(S3EventNames.isObjectCreatedOrRemoved("ObjectCreated:PutTagging")).isTrue();
        assertThat(S3EventNames.isObjectCreatedOrRemoved("ObjectAccessed:Get")).isFalse();
        assertThat(S3EventNames.removesContent("ObjectRemoved:Delete")).isTrue();
        assertThat(S3EventNames.removesContent("ObjectRemoved:DeleteMarkerCreated")).isTrue();
        assertThat(S3EventNames.removesContent("ObjectRemoved:NoOP")).isFalse();
        assertThat(S3EventNames.removesContent("ObjectCreated:Put")).isFalse();
        // The 2024 capture has a pasted typo in its record-level name: unknown names are not forwarded.
        assertThat(S3EventNames.isObjectCreatedOrRemoved(S3EventNames.normalise("s3:OtRemoved:DeleteMarkerCreated")))
                .isFalse();
    }
}
