package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The minio-source's workload: MinIO webhook POSTs (with MinIO's bearer token) that it forwards to the
 * {@link Sink} as CloudEvents, and the ones it must acknowledge without forwarding or refuse
 * (MinioSourceIntegrationTests).
 */
final class SourceWorkload implements Workload {

    /** MinIO's {@code auth_token} for the webhook target. */
    static final String TOKEN = "coldstart-token";

    private final Fixture fixture;

    SourceWorkload(Fixture fixture) {
        this.fixture = fixture;
    }

    @Override
    public Map<String, String> env(int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("K_SINK", fixture.sink().url());
        env.put("WEBHOOK_AUTH_TOKEN", TOKEN);
        env.put("UPLOAD_BUCKETS", Fixture.UPLOADS);
        env.put("THUMBNAILS_BUCKET", Fixture.THUMBNAILS);
        env.put("PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        return env;
    }

    @Override
    public FirstRequest firstRequest(int port) {
        String key = fixture.key("first", "jpg");
        HttpRequest request = webhook(port, Fixture.webhook("s3:ObjectCreated:Put", Fixture.UPLOADS, key, "e1"),
                "Bearer " + TOKEN);
        return new FirstRequest(request, response -> {
            if (response.statusCode() != 200 || !fixture.sink().receivedSubject(key)) {
                throw new WorkloadException("the webhook for " + key + " answered " + response.statusCode()
                        + (fixture.sink().receivedSubject(key) ? "" : " and the sink received no event for it")
                        + ": " + response.body());
            }
        });
    }

    @Override
    public void train(int port) throws IOException, InterruptedException {
        String auth = "Bearer " + TOKEN;
        int before = fixture.sink().count();
        String[] forwarded = {"s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload",
            "s3:ObjectCreated:Copy", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"};
        for (String name : forwarded) {
            fixture.expect(webhook(port, Fixture.webhook(name, Fixture.UPLOADS, fixture.key("fwd", "jpg"), "e2"), auth), 200);
        }
        // Acknowledged, not forwarded: another bucket, an event that neither creates nor removes an object.
        fixture.expect(webhook(port, Fixture.webhook("s3:ObjectCreated:Put", Fixture.THUMBNAILS, fixture.key("other", "jpg"), "e3"),
                auth), 200);
        fixture.expect(webhook(port, Fixture.webhook("s3:ObjectAccessed:Get", Fixture.UPLOADS, fixture.key("get", "jpg"), "e4"),
                auth), 200);
        fixture.expect(webhook(port, new byte[0], auth), 200);
        if (fixture.sink().count() - before != forwarded.length) {
            throw new WorkloadException("the sink received " + (fixture.sink().count() - before) + " events, expected "
                    + forwarded.length);
        }
        // Refused: no token, a wrong one, a body that is no MinIO notification.
        byte[] put = Fixture.webhook("s3:ObjectCreated:Put", Fixture.UPLOADS, fixture.key("refused", "jpg"), "e5");
        fixture.expect(webhook(port, put, null), 401);
        fixture.expect(webhook(port, put, "Bearer wrong"), 401);
        fixture.expect(webhook(port, "{\"Records\":[1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8), auth), 400);
        fixture.expect(HttpRequest.newBuilder(Fixture.url(port, "/")).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build(), 200);
        fixture.expectProbes(port);
    }

    private static HttpRequest webhook(int port, byte[] body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(Fixture.url(port, "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }
}
