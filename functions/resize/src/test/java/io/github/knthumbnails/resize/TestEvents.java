package io.github.knthumbnails.resize;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.MinioKeys;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;

/** Builds the CloudEvents the minio-source would send (or an attacker could forge) and posts them. */
final class TestEvents {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestEvents() {
    }

    /**
     * @param size the {@code size} the record announces, or {@code null} for the default of the test bodies
     */
    static CloudEvent event(String eventName, String key, String eTag, Long size) {
        String body = new String(MinioWebhookBodies.webhook(eventName, "images", MinioKeys.encode(key), key, eTag),
                StandardCharsets.UTF_8);
        if (size != null) {
            body = body.replace("\"size\":2913134", "\"size\":" + size);
        }
        return S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(body.getBytes(StandardCharsets.UTF_8))
                .get(0), Map.of());
    }

    static CloudEvent put(String key, String eTag) {
        return event("s3:ObjectCreated:Put", key, eTag, null);
    }

    static CloudEvent removed(String key) {
        return event("s3:ObjectRemoved:Delete", key, null, null);
    }

    /** POSTs a binary-mode CloudEvent to the resize function on {@code port}. */
    static HttpResponse<String> post(int port, CloudEvent event) throws Exception {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
