package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;

/**
 * What a user of a running {@link LocalStack} does and sees, for the fault-injection ITs: uploads to {@code images}
 * with the MinIO SDK (retried while S3 is unreachable, as a user's client would), {@code GET /status} until a job is
 * terminal, and a listing of the thumbnails bucket.
 */
final class PipelineProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalStack stack;
    private final MinioClient s3;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger uploadRetries = new AtomicInteger();

    PipelineProbe(LocalStack stack) {
        this.stack = stack;
        this.s3 = TestStacks.s3(stack);
    }

    /**
     * Uploads {@code bytes} as {@code images/<key>}, trying again every 200 ms while S3 does not accept it.
     *
     * @throws AssertionError if it was not accepted within {@code within}
     */
    void put(String key, byte[] bytes, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                s3.putObject(PutObjectArgs.builder().bucket("images").object(key)
                        .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType("image/jpeg").build());
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("upload of " + key + " not accepted within " + within.toMillis()
                            + " ms; last error: " + e, e);
                }
                uploadRetries.incrementAndGet();
                Thread.sleep(200);
            }
        }
    }

    /** @return how many upload attempts failed and were tried again so far */
    int uploadRetries() {
        return uploadRetries.get();
    }

    /**
     * Polls {@code GET /status/images/<key>} until every key is {@code succeeded} or {@code failed}.
     *
     * @return key to its last status document, in the order of {@code keys}
     * @throws AssertionError naming every key that was not terminal within {@code within}, with its last status
     */
    Map<String, JsonNode> awaitTerminal(Collection<String> keys, Duration within) throws InterruptedException {
        Map<String, JsonNode> terminal = new LinkedHashMap<>();
        Map<String, String> last = new LinkedHashMap<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (terminal.size() < keys.size() && System.nanoTime() < deadline) {
            for (String key : keys) {
                if (!terminal.containsKey(key)) {
                    JsonNode status = status(key);
                    String state = status == null ? "no answer" : status.path("status").asText();
                    last.put(key, state);
                    if (state.equals("succeeded") || state.equals("failed")) {
                        terminal.put(key, status);
                    }
                }
            }
            Thread.sleep(100);
        }
        if (terminal.size() < keys.size()) {
            Map<String, String> missing = new LinkedHashMap<>();
            keys.stream().filter(key -> !terminal.containsKey(key)).forEach(key -> missing.put(key, last.get(key)));
            throw new AssertionError(missing.size() + " of " + keys.size() + " uploads not terminal within "
                    + within.toMillis() + " ms (key=last status): " + missing);
        }
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        keys.forEach(key -> ordered.put(key, terminal.get(key)));
        return ordered;
    }

    /** @return the status document of {@code images/<key>}, or {@code null} if there is none or no answer */
    JsonNode status(String key) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.url("status")
                    .resolve("/status/images/" + key)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null; // status restarting, or S3 behind it unreachable
        }
    }

    /** @return the keys of every object in the thumbnails bucket under {@code prefix}, sorted */
    Set<String> thumbnailObjects(String prefix) throws Exception {
        Set<String> keys = new TreeSet<>();
        for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket("thumbnails").prefix(prefix)
                .recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    /** Fails naming every upload that did not succeed, with its status and error. */
    static void assertAllSucceeded(Map<String, JsonNode> outcomes) {
        Map<String, String> notSucceeded = new LinkedHashMap<>();
        outcomes.forEach((key, job) -> {
            if (!job.path("status").asText().equals("succeeded")) {
                notSucceeded.put(key, job.path("status").asText() + " " + job.path("error"));
            }
        });
        assertThat(notSucceeded).as("uploads that did not succeed (key=status error)").isEmpty();
    }

    /** @return a distinct 640x480 JPEG per seed, made with ImageIO */
    static byte[] jpeg(int seed) throws IOException {
        BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(seed * 37 % 256, 60, 120), 640, 480,
                new Color(220, seed * 13 % 256, 40)));
        g.fillRect(0, 0, 640, 480);
        g.drawString("seed " + seed, 20, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
