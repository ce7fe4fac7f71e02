package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, finding 4, exactly as reproduced, through the whole local stack (embedded S3 server, its event queue,
 * the three function jars): PUT {@code dir} (succeeded), DELETE {@code dir}, PUT {@code dir/x.png}. Before the
 * fix the job record's HEAD got a 500 ("Not a directory"), resize answered 503 for ever and the local queue
 * blocked every later upload; now the removal clears {@code dir}'s renditions and record, {@code dir/x.png}
 * succeeds, and so does the upload queued behind it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeleteAndRecreateEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private LocalStack stack;
    private MinioClient s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dataDir) throws IOException {
        stack = LocalStack.start(TestStacks.config(dataDir), line -> { });
        s3 = TestStacks.s3(stack);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aKeyUnderADeletedKeysNameIsProcessedAndBlocksNothing() throws Exception {
        put("dir", png(Color.RED));
        assertThat(awaitOutcome("dir").path("status").asText()).isEqualTo("succeeded");

        s3.removeObject(RemoveObjectArgs.builder().bucket("images").object("dir").build());
        put("dir/x.png", png(Color.GREEN));
        put("after.png", png(Color.BLUE));

        assertThat(awaitOutcome("dir/x.png").path("status").asText()).isEqualTo("succeeded");
        assertThat(awaitOutcome("after.png").path("status").asText()).isEqualTo("succeeded");
        assertThat(exists("thumbnails", "jobs/images/dir/x.png")).isTrue();
        assertThat(exists("images", "dir/x.png")).isTrue();
    }

    private void put(String key, byte[] bytes) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket("images").object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType("image/png").build());
    }

    private boolean exists(String bucket, String key) throws Exception {
        try {
            s3.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            return false;
        }
    }

    /** Polls the status function until the upload is succeeded or failed. */
    private JsonNode awaitOutcome(String key) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.url("status")
                    .resolve("/status/images/" + key)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                last = JSON.readTree(response.body());
                String status = last.path("status").asText();
                if (status.equals("succeeded") || status.equals("failed")) {
                    return last;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(key + " did not finish within " + DEADLINE.toSeconds() + " s; last status: " + last);
    }

    private static byte[] png(Color color) throws IOException {
        BufferedImage image = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 120, 80);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
