package io.github.knthumbnails.local.broker;

import static io.github.knthumbnails.local.broker.BrokerFixtures.HTTP;
import static io.github.knthumbnails.local.broker.BrokerFixtures.triggerCopy;
import static io.github.knthumbnails.local.broker.BrokerFixtures.upload;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.github.knthumbnails.testsupport.LargeBodyPost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the ingress answers to good, bad, oversized and misdirected requests. */
class IngressTest {

    @TempDir
    Path dir;

    TestReceiver resize;
    LocalBroker broker;

    @BeforeEach
    void start() throws Exception {
        resize = TestReceiver.start();
        broker = LocalBroker.start(LocalBroker.Config.of(dir.resolve("data"), triggerCopy(dir),
                Map.of("resize", resize.uri(), "status-dead-letter", resize.uri())));
    }

    @AfterEach
    void stop() {
        broker.close();
        resize.close();
    }

    @Test
    void acceptsAStructuredModeEventAndDeliversItInBinaryMode() throws Exception {
        EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(broker.uri())
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.serialize(upload("structured.jpg")))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
        assertThat(broker.awaitDrained(Duration.ofSeconds(15))).isTrue();
        assertThat(resize.requests().get(0).header("ce-subject")).isEqualTo("structured.jpg");
    }

    @Test
    void aRequestThatIsNoCloudEventGets400SayingWhatIsWrongAndIsNotStored() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(broker.uri())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Records\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"error\"").contains("not a valid CloudEvent");
        assertThat(Files.list(dir.resolve("data/broker")).filter(p -> p.toString().endsWith(".json"))).isEmpty();
    }

    @Test
    void aBodyOverOneMebibyteGets413WithoutBeingReadToTheEnd() throws Exception {
        Map<String, String> headers = Map.of("ce-specversion", "1.0", "ce-id", "1", "ce-source", "test",
                "ce-type", "t", "Content-Type", "application/octet-stream");

        LargeBodyPost.Response declared = LargeBodyPost.post(broker.uri().getPort(), "/", headers, 64L << 20, false);
        LargeBodyPost.Response chunked = LargeBodyPost.post(broker.uri().getPort(), "/", headers, 64L << 20, true);

        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.body()).contains("over the limit of 1048576 bytes");
        assertThat(declared.bytesSent()).isLessThan(64L << 20);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.bytesSent()).isLessThan(64L << 20);
    }

    @Test
    void anotherPathGets404AndAnotherMethod405() throws Exception {
        HttpResponse<String> path = HTTP.send(HttpRequest.newBuilder(broker.uri().resolve("/default/default"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> method = HTTP.send(HttpRequest.newBuilder(broker.uri()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(path.statusCode()).isEqualTo(404);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(method.headers().firstValue("Allow")).hasValue("POST");
    }
}
