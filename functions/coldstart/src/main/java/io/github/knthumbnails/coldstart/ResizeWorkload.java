package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;

/**
 * The resize function's workload: S3 ObjectCreated CloudEvents (as the Broker delivers them from the minio-source)
 * for real uploads; it answers {@code 200} once the job record is final (ResizeIntegrationTests).
 */
final class ResizeWorkload implements Workload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUT = "s3:ObjectCreated:Put";

    private final Fixture fixture;
    private byte[] photo;

    ResizeWorkload(Fixture fixture) {
        this.fixture = fixture;
    }

    @Override
    public Map<String, String> env(int port) {
        Map<String, String> env = new LinkedHashMap<>(fixture.storageEnv());
        env.put("PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        return env;
    }

    @Override
    public FirstRequest firstRequest(int port) {
        if (photo == null) {
            photo = Inputs.photo();
        }
        String key = fixture.key("first", "jpg");
        CloudEvent event = uploaded(key, photo, "image/jpeg");
        return new FirstRequest(Fixture.binary(port, "/", event),
                response -> expectState(response, key, JobState.SUCCEEDED));
    }

    @Override
    public void train(int port) throws IOException, InterruptedException {
        // Each format and shape the engine decodes, on 2 CPUs, with good and bad inputs alike.
        Map<String, byte[]> good = new LinkedHashMap<>();
        good.put(fixture.key("photo", "jpg"), Inputs.photo());
        for (int i = 0; i < 6; i++) {
            int w = 320 + 400 * i;
            good.put(fixture.key("baseline", "jpg"), Inputs.jpeg(w, w * 3 / 4, 10 + i, false));
        }
        for (int i = 0; i < 3; i++) {
            good.put(fixture.key("progressive", "jpg"), Inputs.jpeg(900 + 300 * i, 700, 20 + i, true));
        }
        good.put(fixture.key("portrait", "jpg"), Inputs.jpeg(600, 1000, 30, false));
        good.put(fixture.key("alpha", "png"), Inputs.pngWithAlpha(800, 600, 40));
        good.put(fixture.key("small", "png"), Inputs.pngWithAlpha(64, 48, 41));
        good.put(fixture.key("indexed", "gif"), Inputs.gif(500, 400, 50));
        Inputs.shared("testdata/edge/lossy.webp").ifPresent(b -> good.put(fixture.key("lossy", "webp"), b));
        Inputs.shared("testdata/edge/alpha.webp").ifPresent(b -> good.put(fixture.key("alpha", "webp"), b));
        CloudEvent again = null;
        for (Map.Entry<String, byte[]> upload : good.entrySet()) {
            CloudEvent event = uploaded(upload.getKey(), upload.getValue(), contentType(upload.getKey()));
            expectState(fixture.expect(Fixture.binary(port, "/", event), 200), upload.getKey(), JobState.SUCCEEDED);
            again = again == null ? event : again;
        }
        // A redelivery (the Broker retries) leaves the finished job as it is.
        fixture.expect(Fixture.binary(port, "/", again), 200);

        String corrupt = fixture.key("corrupt", "jpg");
        expectState(fixture.expect(Fixture.binary(port, "/", uploaded(corrupt, Inputs.corruptJpeg(60), "image/jpeg")),
                200), corrupt, JobState.FAILED);
        String pdf = fixture.key("document", "png");
        byte[] pdfBytes = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        expectState(fixture.expect(Fixture.binary(port, "/", uploaded(pdf, pdfBytes, "image/png")), 200), pdf,
                JobState.FAILED);

        String structured = fixture.key("structured", "jpg");
        expectState(fixture.expect(structured(port, uploaded(structured, Inputs.jpeg(640, 480, 70, false),
                "image/jpeg")), 200), structured, JobState.SUCCEEDED);

        // Removal: the renditions of a deleted upload go.
        String removed = good.keySet().iterator().next();
        fixture.store().delete(Fixture.UPLOADS, removed);
        fixture.expect(Fixture.binary(port, "/", Fixture.cloudEvent("s3:ObjectRemoved:Delete", removed, "e")), 200);

        // Malformed requests get 400.
        fixture.expect(HttpRequest.newBuilder(Fixture.url(port, "/"))
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\": \"1.0\", ")).build(), 400);
        fixture.expect(HttpRequest.newBuilder(Fixture.url(port, "/")).header("Content-Type", "application/json")
                .header("ce-id", "1").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), 400);

        fixture.expectProbes(port);
    }

    private static String contentType(String key) {
        return key.endsWith(".png") ? "image/png" : key.endsWith(".gif") ? "image/gif"
                : key.endsWith(".webp") ? "image/webp" : "image/jpeg";
    }

    private CloudEvent uploaded(String key, byte[] bytes, String contentType) {
        return Fixture.cloudEvent(PUT, key, fixture.upload(key, bytes, contentType));
    }

    private HttpRequest structured(int port, CloudEvent event) throws IOException {
        ObjectNode json = JSON.createObjectNode().put("specversion", "1.0").put("id", event.getId())
                .put("source", event.getSource().toString()).put("type", event.getType())
                .put("subject", event.getSubject()).put("time", event.getTime().toString())
                .put("datacontenttype", "application/json");
        json.set("data", JSON.readTree(event.getData().toBytes()));
        return HttpRequest.newBuilder(Fixture.url(port, "/")).header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json))).build();
    }

    private void expectState(HttpResponse<String> response, String key, JobState expected) {
        if (response.statusCode() != 200) {
            throw new WorkloadException("resize answered " + response.statusCode() + " for " + key + ": "
                    + response.body());
        }
        JobRecord record = fixture.jobs().read(Fixture.UPLOADS, key).orElseThrow(() -> new WorkloadException(
                "resize answered 200 for " + key + " but wrote no job record"));
        if (record.state() != expected) {
            throw new WorkloadException("the job record of " + key + " says " + record.state() + ", expected "
                    + expected + (record.error() == null ? "" : ": " + record.error().message()));
        }
    }
}
