package io.github.knthumbnails.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.github.knthumbnails.testsupport.SharedTestData;
import org.junit.jupiter.api.Test;

class CloudEventHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CloudEvent read(Map<String, String> headers, byte[] body) {
        return CloudEventHttp.read(headers::forEach, body);
    }

    @Test
    void percentEncodesHeaderValuesAsTheSpecExampleShows() {
        assertThat(CloudEventHttp.encodeHeaderValue("Euro € 😀")).isEqualTo("Euro%20%E2%82%AC%20%F0%9F%98%80");
        assertThat(CloudEventHttp.encodeHeaderValue("100% \"sure\"")).isEqualTo("100%25%20%22sure%22");
        assertThat(CloudEventHttp.encodeHeaderValue("plain/ascii:key+1.jpg")).isEqualTo("plain/ascii:key+1.jpg");
    }

    @Test
    void binaryModeRoundTripsANonAsciiSubject() {
        CloudEvent event = CloudEventBuilder.v1()
                .withId("1").withSource(URI.create("minio:s3..images")).withType("com.amazonaws.s3.ObjectCreated:Put")
                .withSubject("uploads/My Cat é 😀.jpg").withTime(OffsetDateTime.parse("2026-11-23T10:15:30.123Z"))
                .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .withData("application/json", "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8))
                .build();

        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);

        assertThat(message.headers()).containsEntry("ce-subject", "uploads/My%20Cat%20%C3%A9%20%F0%9F%98%80.jpg")
                .containsEntry("content-type", "application/json")
                .doesNotContainKey("ce-datacontenttype");
        assertThat(message.headers().values()).allSatisfy(v -> assertThat(v).matches("[\\x21-\\x7e]+"));
        assertThat(read(message.headers(), message.body())).isEqualTo(event);
    }

    @Test
    void readsQuotedAndNeedlesslyEncodedValues() {
        Map<String, String> headers = new LinkedHashMap<>(Map.of("ce-specversion", "1.0", "ce-id", "%41BC",
                "ce-source", "/s", "ce-type", "t", "ce-subject", "\"a b\""));

        CloudEvent event = read(headers, new byte[0]);

        assertThat(event.getId()).isEqualTo("ABC");
        assertThat(event.getSubject()).isEqualTo("a b");
    }

    @Test
    void rejectsInvalidUtf8AfterDecoding() {
        Map<String, String> headers = Map.of("ce-specversion", "1.0", "ce-id", "1", "ce-source", "/s",
                "ce-type", "t", "ce-subject", "%C3%28");

        assertThatThrownBy(() -> read(headers, new byte[0]))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("ce-subject is not valid UTF-8");
    }

    @Test
    void rejectsARequestThatIsNoCloudEvent() {
        assertThatThrownBy(() -> read(Map.of("Content-Type", "application/json"), "{}".getBytes()))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void rejectsABinaryEventWithoutRequiredAttributes() {
        assertThatThrownBy(() -> read(Map.of("ce-specversion", "1.0", "ce-id", "1"), new byte[0]))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("not a valid CloudEvent");
    }

    @Test
    void rejectsAStructuredBodyThatIsNotJson() {
        assertThatThrownBy(() -> read(Map.of("Content-Type", "application/cloudevents+json"),
                "{\"specversion\": \"1.0\", ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("not a valid CloudEvent");
    }

    @Test
    void readsStructuredModeFromSdkJavaFixtures() throws IOException {
        byte[] body = Files.readAllBytes(SharedTestData.require(
                "testdata/events/cloudevents/sdk-java/json-jackson/v1/json_data_with_ext.json"));

        CloudEvent event = read(Map.of("Content-Type", "application/cloudevents+json; charset=utf-8"), body);

        assertThat(event.getId()).isEqualTo(JSON.readTree(body).path("id").asText());
        assertThat(event.getExtensionNames()).isNotEmpty();
    }

    /**
     * Runs every scenario of cloudevents/conformance's HTTP binding feature: the raw HTTP request is parsed into
     * headers and body, decoded, and compared with the scenario's attribute table and JSON data.
     */
    @Test
    void passesTheHttpBindingConformanceScenarios() throws IOException {
        String feature = Files.readString(SharedTestData.require(
                "testdata/events/cloudevents/conformance/features/http-protocol-binding.feature"));

        List<Scenario> scenarios = Scenario.parse(feature);

        assertThat(scenarios).hasSizeGreaterThanOrEqualTo(4);
        for (Scenario scenario : scenarios) {
            CloudEvent event = read(scenario.headers(), scenario.body());
            scenario.attributes().forEach((name, expected) -> assertThat(String.valueOf(event.getAttribute(name)))
                    .as("%s in %s", name, scenario.name()).isEqualTo(expected));
            assertThat(JSON.readTree(event.getData().toBytes())).as(scenario.name())
                    .isEqualTo(JSON.readTree(scenario.data()));
        }
    }

    /** One Scenario Outline of the Gherkin file, expanded for one row of its Examples table. */
    record Scenario(String name, Map<String, String> headers, byte[] body, Map<String, String> attributes,
                    String data) {

        private static final Pattern OUTLINE = Pattern.compile(
                "Scenario Outline: (.*?)\\n.*?Given an HTTP request\\s*\"\"\"\\n(.*?)\"\"\".*?the attributes are:\\n"
                        + "(.*?)\\n\\s*And the data is equal to the following JSON:\\s*\"\"\"\\n(.*?)\"\"\".*?"
                        + "Examples:\\s*\\n\\s*\\|[^\\n]*\\|\\n((?:\\s*\\|[^\\n]*\\|\\n?)+)", Pattern.DOTALL);

        static List<Scenario> parse(String feature) {
            List<Scenario> result = new ArrayList<>();
            Matcher m = OUTLINE.matcher(feature);
            while (m.find()) {
                for (String row : m.group(5).strip().split("\\n")) {
                    String contentType = row.strip().replaceAll("^\\||\\|$", "").strip();
                    result.add(expand(m.group(1), m.group(2), m.group(3), m.group(4), contentType));
                }
            }
            return result;
        }

        private static Scenario expand(String name, String request, String table, String data, String contentType) {
            String http = request.replace("<contentType>", contentType).stripIndent();
            String[] parts = http.split("\\n\\n", 2);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : parts[0].lines().skip(1).toList()) {
                int colon = line.indexOf(':');
                if (!line.startsWith("Content-Length")) {
                    headers.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            table.lines().skip(1).forEach(line -> {
                String[] cells = line.strip().split("\\|");
                attributes.put(cells[1].strip(), cells[2].strip().replace("<contentType>", contentType));
            });
            return new Scenario(name.replace("<contentType>", contentType), headers,
                    parts[1].getBytes(StandardCharsets.UTF_8), attributes, data);
        }
    }
}
