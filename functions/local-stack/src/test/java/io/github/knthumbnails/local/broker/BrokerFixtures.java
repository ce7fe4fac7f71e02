package io.github.knthumbnails.local.broker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;

/** Real S3 CloudEvents, the real Trigger file (or a copy with short waits) and a binary-mode POST. */
final class BrokerFixtures {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BrokerFixtures() {
    }

    /** The repository's eventing/trigger-resize.yaml, found from this module's folder (surefire's user.dir). */
    static Path realTrigger() {
        Path trigger = LocalBroker.Config.defaultTrigger(Path.of("..").toAbsolutePath());
        if (!Files.isRegularFile(trigger)) {
            throw new AssertionError("the Trigger file is not at " + trigger);
        }
        return trigger;
    }

    /**
     * A copy of the real Trigger in {@code dir} with some of its text replaced, e.g. the backoff delay.
     *
     * @param replacements pairs of (text that must be in the file, replacement)
     */
    static Path triggerCopy(Path dir, String... replacements) throws IOException {
        String yaml = Files.readString(realTrigger());
        for (int i = 0; i < replacements.length; i += 2) {
            if (!yaml.contains(replacements[i])) {
                throw new AssertionError("the Trigger no longer contains '" + replacements[i] + "'");
            }
            yaml = yaml.replace(replacements[i], replacements[i + 1]);
        }
        Path copy = dir.resolve("trigger.yaml");
        Files.writeString(copy, yaml);
        return copy;
    }

    /** The S3 CloudEvent the minio-source makes for one MinIO record. */
    static CloudEvent s3Event(String eventName, String region, String bucket, String key) {
        byte[] webhook = MinioWebhookBodies.webhook("s3:" + eventName, bucket, key, key, "0123456789abcdef0123456789abcdef");
        String body = new String(webhook, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"awsRegion\":\"\"", "\"awsRegion\":\"" + region + "\"");
        S3EventRecord record = S3EventRecord.parseWebhookBody(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .get(0);
        return S3CloudEvents.toCloudEvent(record, Map.of());
    }

    /** An upload event to the watched bucket {@code images}. */
    static CloudEvent upload(String key) {
        return s3Event("ObjectCreated:Put", "us-east-1", "images", key);
    }

    /** POSTs an event in binary content mode, as the minio-source's SinkClient does. */
    static HttpResponse<String> post(URI broker, CloudEvent event) throws IOException, InterruptedException {
        return post(broker, event, Map.of());
    }

    /** POSTs an event in binary content mode with extra HTTP headers, e.g. {@code traceparent}. */
    static HttpResponse<String> post(URI broker, CloudEvent event, Map<String, String> extraHeaders)
            throws IOException, InterruptedException {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(broker)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        extraHeaders.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
