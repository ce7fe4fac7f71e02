package io.github.knthumbnails.resize;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With object storage unreachable the function answers 5xx, so the Broker retries instead of dropping the job. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "MINIO_ENDPOINT=http://127.0.0.1:9")
class ResizeStorageDownTests {

    @LocalServerPort
    int port;

    @Test
    void answers503WhenStorageIsUnreachable() throws Exception {
        byte[] body = MinioWebhookBodies.webhook("s3:ObjectCreated:Put", "images", "a.jpg", "a.jpg", "e1");
        CloudEventHttp.Message message = CloudEventHttp.toBinary(
                S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(body).get(0), Map.of()));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);

        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("failed: java.net.ConnectException");
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ce-"));
    }
}
