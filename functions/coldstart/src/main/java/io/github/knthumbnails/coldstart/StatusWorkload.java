package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.RenditionInfo;

/**
 * The status function's workload: {@code GET /status/<bucket>/<key>} of uploads with job records in every state,
 * {@code GET /jobs} pages and, since it runs with {@code STATUS_ROUTES=all} (the one image serves both the public
 * status Service and the dead-letter sink), {@code POST /dead-letter} (DeadLetterIntegrationTests).
 */
final class StatusWorkload implements Workload {

    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123Z");

    private final Fixture fixture;

    StatusWorkload(Fixture fixture) {
        this.fixture = fixture;
    }

    @Override
    public Map<String, String> env(int port) {
        Map<String, String> env = new LinkedHashMap<>(fixture.storageEnv());
        env.put("STATUS_ROUTES", "all");
        env.put("PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        return env;
    }

    @Override
    public FirstRequest firstRequest(int port) {
        String key = fixture.key("first", "jpg");
        succeeded(key);
        return new FirstRequest(get(port, "/status/" + Fixture.UPLOADS + "/" + key), response -> {
            if (response.statusCode() != 200 || !response.body().contains("\"succeeded\"")) {
                throw new WorkloadException("GET /status of " + key + " answered " + response.statusCode()
                        + ", expected 200 and succeeded: " + response.body());
            }
        });
    }

    @Override
    public void train(int port) throws IOException, InterruptedException {
        String done = fixture.key("done", "jpg");
        succeeded(done);
        String failed = fixture.key("failed", "jpg");
        String failedTag = fixture.upload(failed, "%PDF".getBytes(StandardCharsets.US_ASCII), "image/png");
        fixture.jobs().write(Fixture.UPLOADS, failed, JobRecord.failed(failedTag, T0, T0.plusMillis(3),
                new JobError("unsupported_format", "a PDF, not an image")));
        String processing = fixture.key("processing", "jpg");
        fixture.jobs().write(Fixture.UPLOADS, processing, JobRecord.processing(
                fixture.upload(processing, new byte[] {1}, "image/jpeg"), T0));
        String pending = fixture.key("pending", "jpg");
        fixture.upload(pending, new byte[] {2}, "image/jpeg");
        for (String key : List.of(done, failed, processing, pending)) {
            fixture.expect(get(port, "/status/" + Fixture.UPLOADS + "/" + key), 200);
        }
        fixture.expect(get(port, "/status/" + Fixture.UPLOADS + "/" + fixture.key("absent", "jpg")), 404);
        fixture.expect(get(port, "/status/unwatched/x.jpg"), 404);

        HttpResponse<String> page = fixture.expect(get(port, "/jobs?prefix=coldstart/&limit=2"), 200);
        String cursor = page.body().replaceAll("(?s).*\"nextCursor\"\\s*:\\s*\"([^\"]*)\".*", "$1");
        if (!cursor.equals(page.body())) {
            fixture.expect(get(port, "/jobs?prefix=coldstart/&limit=2&cursor=" + cursor), 200);
        }
        fixture.expect(get(port, "/jobs?limit=0"), 400);
        fixture.expect(get(port, "/jobs?bucket=unwatched"), 400);

        // The Broker's dead letters, binary and structured.
        String dead = fixture.key("dead", "jpg");
        fixture.expect(Fixture.binary(port, "/dead-letter", deadLetter(dead, fixture.upload(dead, new byte[] {3},
                "image/jpeg"))), 202);
        String deadStructured = fixture.key("dead-structured", "jpg");
        byte[] body = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).serialize(
                deadLetter(deadStructured, fixture.upload(deadStructured, new byte[] {4}, "image/jpeg")));
        fixture.expect(HttpRequest.newBuilder(Fixture.url(port, "/dead-letter"))
                .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), 202);
        fixture.expect(get(port, "/status/" + Fixture.UPLOADS + "/" + dead), 200);

        fixture.expect(get(port, "/no-such-route"), 404);
        fixture.expectProbes(port);
    }

    private void succeeded(String key) {
        String eTag = fixture.upload(key, new byte[] {(byte) 0xff, (byte) 0xd8}, "image/jpeg");
        fixture.jobs().write(Fixture.UPLOADS, key, JobRecord.succeeded(eTag, T0, T0.plusMillis(40),
                List.of(new RenditionInfo("thumb", 100, 100, "image/jpeg", 1234, "100x100:cover:80:jpeg"))));
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(Fixture.url(port, path)).GET().build();
    }

    private static CloudEvent deadLetter(String key, String eTag) {
        return CloudEventBuilder.v1(Fixture.cloudEvent("s3:ObjectCreated:Put", key, eTag))
                .withExtension("knativeerrorcode", "503")
                .withExtension("knativeerrordest", "http://resize.thumbnails.svc.cluster.local")
                .withExtension("knativeerrordata", Base64.getEncoder().encodeToString(
                        "{\"error\":\"object storage unreachable\"}".getBytes(StandardCharsets.UTF_8)))
                .build();
    }
}
