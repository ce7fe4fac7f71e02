package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knthumbnails.testsupport.SharedTestData;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline, as a user runs it: the local stack (embedded S3 server, MinIO-format webhook, the three
 * function jars as processes wired by {@code K_SINK}), uploads with the MinIO Java SDK, and the status function
 * over HTTP. Nothing is mocked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private LocalStack stack;
    private MinioClient s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dataDir) throws IOException {
        long t0 = System.nanoTime();
        stack = LocalStack.start(TestStacks.config(dataDir), line -> { });
        System.out.printf("local stack ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        s3 = TestStacks.s3(stack);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aLargeGeneratedImageUploadedInPartsBecomesAThumbnail() throws Exception {
        byte[] noise = noisyPng(2400, 1200);
        assertThat(noise.length).as("big enough for a multipart upload").isGreaterThan(6 * 1024 * 1024);

        s3.putObject(PutObjectArgs.builder().bucket("images").object("generated/noise image.png")
                .stream(new ByteArrayInputStream(noise), -1, 5L * 1024 * 1024).contentType("image/png").build());

        JsonNode status = awaitOutcome("generated/noise image.png");
        assertThat(status.path("status").asText()).isEqualTo("succeeded");
        assertThat(status.path("etag").asText()).endsWith("-2");
        assertThumbnail(status, 100, 100);
    }

    @Test
    void aCopyGetsItsOwnThumbnail() throws Exception {
        byte[] source = noisyPng(300, 200);
        s3.putObject(PutObjectArgs.builder().bucket("images").object("copy/original.png")
                .stream(new ByteArrayInputStream(source), source.length, -1).contentType("image/png").build());
        awaitOutcome("copy/original.png");

        s3.copyObject(CopyObjectArgs.builder().bucket("images").object("copy/ünïcödé copy.png")
                .source(CopySource.builder().bucket("images").object("copy/original.png").build()).build());

        JsonNode status = awaitOutcome("copy/ünïcödé copy.png");
        assertThat(status.path("status").asText()).isEqualTo("succeeded");
        assertThumbnail(status, 100, 100);
    }

    @Test
    void realPhotosBecome100x100ThumbnailsWithinSeconds() throws Exception {
        List<Path> photos;
        try (Stream<Path> files = Files.list(SharedTestData.require("testdata/photos"))) {
            photos = files.sorted().toList();
        }
        List<Long> latencies = new ArrayList<>();
        for (Path photo : photos) {
            String key = "photos/" + photo.getFileName();
            long t0 = System.nanoTime();
            s3.putObject(PutObjectArgs.builder().bucket("images").object(key)
                    .stream(Files.newInputStream(photo), Files.size(photo), -1).contentType("image/jpeg").build());
            JsonNode status = awaitOutcome(key);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            latencies.add(millis);
            System.out.printf("upload -> %s: %5d ms  %s (%d bytes)%n", status.path("status").asText(), millis,
                    photo.getFileName(), Files.size(photo));

            assertThat(status.path("status").asText()).as(key).isEqualTo("succeeded");
            assertThat(status.path("etag").asText()).isEqualTo(s3.statObject(StatObjectArgs.builder()
                    .bucket("images").object(key).build()).etag());
            assertThumbnail(status, 100, 100);
        }
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf("upload -> succeeded over %d photos: median %d ms, max %d ms (first, cold: %d ms)%n",
                sorted.size(), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), latencies.get(0));
    }

    @Test
    void aPdfNamedPngEndsFailedWithAReasonAndTheOriginalIsUntouched() throws Exception {
        Path pdf = SharedTestData.require("testdata/edge/pdf_renamed.png");
        byte[] original = Files.readAllBytes(pdf);
        s3.putObject(PutObjectArgs.builder().bucket("images").object("edge/pdf_renamed.png")
                .stream(new ByteArrayInputStream(original), original.length, -1).contentType("image/png").build());

        JsonNode status = awaitOutcome("edge/pdf_renamed.png");

        assertThat(status.path("status").asText()).isEqualTo("failed");
        assertThat(status.path("error").path("class").asText()).isEqualTo("unsupported_format");
        assertThat(status.path("error").path("message").asText()).contains("PDF");
        assertThat(status.has("renditions")).isFalse();
        try (var in = s3.getObject(GetObjectArgs.builder().bucket("images").object("edge/pdf_renamed.png").build())) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
    }

    @Test
    void statusOfAnObjectThatWasNeverUploadedIs404() throws Exception {
        assertThat(getStatus("never/uploaded.jpg").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> getStatus(String key) throws Exception {
        String path = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        return http.send(HttpRequest.newBuilder(stack.url("status").resolve("/status/images/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the status function until the upload is succeeded or failed. */
    private JsonNode awaitOutcome(String key) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = getStatus(key);
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

    /** Downloads the rendition through its presigned link, as a browser would, and decodes it. */
    private void assertThumbnail(JsonNode status, int width, int height) throws Exception {
        JsonNode rendition = status.path("renditions").get(0);
        assertThat(rendition.path("contentType").asText()).isEqualTo("image/jpeg");
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(rendition.path("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(rendition.path("bytes").asInt());
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(download.body()));
        assertThat(thumbnail.getWidth()).isEqualTo(width);
        assertThat(thumbnail.getHeight()).isEqualTo(height);
    }

    /** A PNG of random pixels: incompressible, so a modest size makes a large file. */
    private static byte[] noisyPng(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
