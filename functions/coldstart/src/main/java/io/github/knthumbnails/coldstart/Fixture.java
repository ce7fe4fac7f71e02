package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.MinioKeys;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import io.github.knthumbnails.testsupport.S3TestServer;

/**
 * What the functions run against, for a whole session: an embedded S3 server (S3Proxy, {@link S3TestServer})
 * with an upload bucket and a thumbnails bucket, a client of it, a recording CloudEvent sink for the minio-source,
 * and one HTTP/1.1 client for the requests to the function.
 */
public final class Fixture implements AutoCloseable {

    /** The upload bucket. */
    public static final String UPLOADS = "images";
    /** The bucket renditions and job records go to. */
    public static final String THUMBNAILS = "thumbnails";

    private final S3TestServer s3 = new S3TestServer(UPLOADS, THUMBNAILS, "unwatched");
    private final ObjectStore store = new ObjectStore(new S3Settings(s3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));
    private final JobStore jobs = new JobStore(store, THUMBNAILS);
    private final Sink sink = new Sink();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong serial = new AtomicLong();
    private final String session = Long.toString(System.currentTimeMillis(), 36);

    /**
     * @param name      what the object is for, e.g. {@code first}
     * @param extension file extension, e.g. {@code jpg}
     * @return a key no earlier request of any session used: {@code coldstart/<session>/<n>-<name>.<extension>}
     */
    public String key(String name, String extension) {
        return "coldstart/" + session + "/" + serial.incrementAndGet() + "-" + name + "." + extension;
    }

    /** @return the S3 client */
    public ObjectStore store() {
        return store;
    }

    /** @return the job records in the thumbnails bucket */
    public JobStore jobs() {
        return jobs;
    }

    /** @return the sink the minio-source forwards to */
    public Sink sink() {
        return sink;
    }

    /**
     * @return the variables every function reads to reach storage ({@code MINIO_*}, {@code UPLOAD_BUCKETS},
     *     {@code THUMBNAILS_BUCKET}), in a stable order
     */
    public Map<String, String> storageEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(S3Settings.MINIO_ENDPOINT, s3.endpoint().toString());
        env.put(S3Settings.MINIO_ACCESS_KEY, S3TestServer.CREDENTIAL);
        env.put(S3Settings.MINIO_SECRET_KEY, S3TestServer.CREDENTIAL);
        env.put("UPLOAD_BUCKETS", UPLOADS);
        env.put("THUMBNAILS_BUCKET", THUMBNAILS);
        return env;
    }

    /**
     * Uploads an object to the upload bucket.
     *
     * @param key         object key
     * @param bytes       content
     * @param contentType its content type
     * @return the new object's ETag
     */
    public String upload(String key, byte[] bytes, String contentType) {
        store.put(UPLOADS, key, bytes, contentType, Map.of());
        return store.stat(UPLOADS, key).orElseThrow().eTag();
    }

    /**
     * @param eventName MinIO's event name, e.g. {@code s3:ObjectCreated:Put}
     * @param bucket    bucket
     * @param key       object key
     * @param eTag      the object's ETag
     * @return the MinIO webhook body MinIO would POST for it
     */
    public static byte[] webhook(String eventName, String bucket, String key, String eTag) {
        return MinioWebhookBodies.webhook(eventName, bucket, MinioKeys.encode(key), key, eTag);
    }

    /**
     * @param eventName MinIO's event name
     * @param key       key in the upload bucket
     * @param eTag      the object's ETag
     * @return the CloudEvent the minio-source makes of that notification
     */
    public static CloudEvent cloudEvent(String eventName, String key, String eTag) {
        return S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(webhook(eventName, UPLOADS, key, eTag))
                .get(0), Map.of());
    }

    /**
     * @param port  the function's port
     * @param path  request path, e.g. {@code /}
     * @param event the event
     * @return a POST of the event in binary content mode
     */
    public static HttpRequest binary(int port, String path, CloudEvent event) {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(url(port, path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        return request.build();
    }

    /**
     * @param port the function's port
     * @param path path and query, e.g. {@code /status/images/a.jpg}
     * @return {@code http://127.0.0.1:<port><path>}
     */
    public static URI url(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Sends a request and reads the whole answer.
     *
     * @param request the request
     * @return the response, body as text
     * @throws IOException          if the function cannot be reached ({@link java.net.ConnectException}: not
     *                              listening yet)
     * @throws InterruptedException if interrupted
     */
    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends a request and checks the status code.
     *
     * @param request  the request
     * @param expected the status code the function must answer
     * @return the response
     * @throws WorkloadException    if the status differs, with the body
     * @throws IOException          if the function cannot be reached
     * @throws InterruptedException if interrupted
     */
    public HttpResponse<String> expect(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request);
        if (response.statusCode() != expected) {
            throw new WorkloadException(request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode() + ", expected " + expected + ": " + response.body());
        }
        return response;
    }

    /**
     * Checks both of the function's Kubernetes probes answer {@code 200}.
     *
     * @param port the function's port
     * @throws WorkloadException    if one does not
     * @throws IOException          if the function cannot be reached
     * @throws InterruptedException if interrupted
     */
    public void expectProbes(int port) throws IOException, InterruptedException {
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            expect(HttpRequest.newBuilder(url(port, probe)).GET().build(), 200);
        }
    }

    /** Stops the sink and the S3 server. */
    @Override
    public void close() {
        sink.close();
        s3.close();
    }
}
