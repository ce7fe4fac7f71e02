package io.github.knthumbnails.resize;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import javax.imageio.ImageIO;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.events.MinioKeys;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventRecord;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.MinioWebhookBodies;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A RENDITIONS profile with two renditions, one of them PNG for transparent sources, over real HTTP and S3. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResizeRenditionProfilesTests {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private static final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
        registry.add("RENDITIONS", () -> "thumb:100x100:cover:80,icon:32x32:fit:90:png");
    }

    @LocalServerPort
    int port;

    private void upload(String key, BufferedImage image, String format) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, format, bytes);
        store.put("images", key, bytes.toByteArray(), "application/octet-stream", Map.of());
        deliver(key);
    }

    private void deliver(String key) throws Exception {
        byte[] body = MinioWebhookBodies.webhook("s3:ObjectCreated:Put", "images", MinioKeys.encode(key), key,
                store.stat("images", key).orElseThrow().eTag());
        CloudEvent event = S3CloudEvents.toCloudEvent(S3EventRecord.parseWebhookBody(body).get(0), Map.of());
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        assertThat(HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(200);
    }

    private static String storedType(String rendition, String key) {
        return store.stat("thumbnails", "renditions/" + rendition + "/images/" + key).orElseThrow().contentType();
    }

    @Test
    void aTransparentSourceGetsAPngWhereTheProfileSaysSoAndJpegElsewhere() throws Exception {
        BufferedImage logo = new BufferedImage(200, 100, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = logo.createGraphics();
        g.setColor(Color.RED);
        g.fillOval(50, 0, 100, 100);
        g.dispose();

        upload("logo.png", logo, "png");

        assertThat(storedType("thumb", "logo.png")).isEqualTo("image/jpeg");
        assertThat(storedType("icon", "logo.png")).isEqualTo("image/png");
        JobRecord record = new JobStore(store, "thumbnails").read("images", "logo.png").orElseThrow();
        assertThat(record.renditions()).extracting(r -> r.name() + " " + r.width() + "x" + r.height() + " "
                + r.contentType()).containsExactlyInAnyOrder("thumb 100x100 image/jpeg", "icon 32x16 image/png");
    }

    /**
     * Issue 13: the record names the spec that made each rendition; a redelivery renders a version made by another
     * profile again, and leaves one made by this profile alone.
     */
    @Test
    void aVersionMadeByAnotherProfileIsRenderedAgainAndOneMadeByThisProfileIsNot() throws Exception {
        upload("old.jpg", new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), "jpeg");
        JobStore jobs = new JobStore(store, "thumbnails");
        JobRecord current = jobs.read("images", "old.jpg").orElseThrow();
        assertThat(current.renditions()).extracting(r -> r.name() + " " + r.spec())
                .containsExactlyInAnyOrder("thumb 100x100:cover:80:jpeg", "icon 32x32:fit:90:png");

        // As if an older RENDITIONS had made it: thumb at another quality; its rendition object is gone too.
        jobs.write("images", "old.jpg", JobRecord.succeeded(current.sourceETag(), current.started(),
                current.finished(), current.renditions().stream().map(r -> r.name().equals("thumb")
                        ? new io.github.knthumbnails.storage.RenditionInfo(r.name(), r.width(), r.height(),
                                r.contentType(), r.bytes(), "100x100:cover:60:jpeg") : r).toList()));
        store.delete("thumbnails", "renditions/thumb/images/old.jpg");
        deliver("old.jpg");

        assertThat(jobs.read("images", "old.jpg").orElseThrow().madeBy(Map.of("thumb", "100x100:cover:80:jpeg",
                "icon", "32x32:fit:90:png"))).isTrue();
        assertThat(store.stat("thumbnails", "renditions/thumb/images/old.jpg")).isPresent();

        store.delete("thumbnails", "renditions/thumb/images/old.jpg");
        deliver("old.jpg");
        assertThat(store.stat("thumbnails", "renditions/thumb/images/old.jpg")).as("up to date: nothing rendered")
                .isEmpty();
    }

    @Test
    void anOpaqueSourceGetsJpegsOnly() throws Exception {
        upload("photo.jpg", new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB), "jpeg");

        assertThat(storedType("thumb", "photo.jpg")).isEqualTo("image/jpeg");
        assertThat(storedType("icon", "photo.jpg")).isEqualTo("image/jpeg");
    }
}
