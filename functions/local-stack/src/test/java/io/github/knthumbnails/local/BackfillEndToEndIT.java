package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 on the whole local stack: uploads rendered under one {@code RENDITIONS}; the stack restarted with another
 * (a grey rendition added); {@code scripts/backfill.sh} run as a user runs it, against the stack's S3 and Broker.
 * Every upload is rendered again, the new rendition is grey by its pixels, the uploads are untouched, and a second
 * run sends nothing.
 */
class BackfillEndToEndIT {

    private static final String BEFORE = "thumb:100x100:cover:80";
    private static final String AFTER = "thumb:100x100:cover:80,grey:64x64:cover:80:grayscale";
    private static final List<String> KEYS = List.of("backfill/a.jpg", "backfill/b.jpg", "backfill/c.jpg");

    @Test
    void afterARenditionsChangeTheBackfillUpgradesEveryUploadAndASecondRunSendsNothing(@TempDir Path dataDir)
            throws Exception {
        Map<String, String> eTags = new HashMap<>();
        try (LocalStack stack = LocalStack.start(TestStacks.config(dataDir, Map.of("RENDITIONS", BEFORE)), l -> { })) {
            PipelineProbe probe = new PipelineProbe(stack);
            for (int i = 0; i < KEYS.size(); i++) {
                probe.put(KEYS.get(i), PipelineProbe.jpeg(i), Duration.ofSeconds(10));
            }
            PipelineProbe.assertAllSucceeded(probe.awaitTerminal(KEYS, Duration.ofSeconds(60)));
            MinioClient s3 = TestStacks.s3(stack);
            for (String key : KEYS) {
                eTags.put(key, s3.statObject(StatObjectArgs.builder().bucket("images").object(key).build()).etag());
            }
        }

        try (LocalStack stack = LocalStack.start(TestStacks.config(dataDir, Map.of("RENDITIONS", AFTER)), l -> { })) {
            PipelineProbe probe = new PipelineProbe(stack);
            MinioClient s3 = TestStacks.s3(stack);
            assertThat(renditionNames(probe.status(KEYS.get(0)))).as("nothing redone by the restart alone")
                    .containsExactly("thumb");

            String first = backfill(stack);
            assertThat(first).startsWith("backfill bucket=images prefix= listed=3 sent=3 skipped=0 failed=0");
            assertThat(first).endsWith(" other_profile=3");
            for (String key : KEYS) {
                JsonNode job = awaitRenditions(probe, key, 2);
                assertThat(job.path("renditions").findValuesAsText("spec")).containsExactlyInAnyOrder(
                        "100x100:cover:80:jpeg", "64x64:cover:80:jpeg:grayscale");
                BufferedImage grey = read(s3, "renditions/grey/images/" + key);
                assertThat(grey.getWidth()).isEqualTo(64);
                assertThat(grey.getHeight()).isEqualTo(64);
                assertThat(colourfulPixels(grey)).as("pixels of " + key + "'s grey rendition with R, G, B apart")
                        .isZero();
                assertThat(colourfulPixels(read(s3, "renditions/thumb/images/" + key)))
                        .as("the colour rendition stays in colour").isPositive();
                assertThat(s3.statObject(StatObjectArgs.builder().bucket("images").object(key).build()).etag())
                        .as("the upload is untouched").isEqualTo(eTags.get(key));
            }

            assertThat(backfill(stack)).startsWith("backfill bucket=images prefix= listed=3 sent=0 skipped=3 failed=0");
        }
    }

    /** Runs scripts/backfill.sh against the stack; @return its summary line */
    private static String backfill(LocalStack stack) throws Exception {
        Path root = TestStacks.functions().toAbsolutePath().normalize().getParent();
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("scripts/backfill.sh").toString(),
                "--no-progress").directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(Map.of("MINIO_ENDPOINT", stack.s3Endpoint().toString(),
                "MINIO_ACCESS_KEY", TestStacks.KEY, "MINIO_SECRET_KEY", TestStacks.KEY, "RENDITIONS", AFTER,
                "K_SINK", stack.broker().uri().toString()));
        Process process = builder.start();
        String out;
        try (InputStream stdout = process.getInputStream()) {
            out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        List<String> lines = out.lines().toList();
        return lines.get(lines.size() - 1);
    }

    private static JsonNode awaitRenditions(PipelineProbe probe, String key, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            job = probe.status(key);
            if (job != null && job.path("status").asText().equals("succeeded")
                    && job.path("renditions").size() == count) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(key + " not rendered again within 60 s; last status " + job);
    }

    private static List<String> renditionNames(JsonNode job) {
        return StreamSupport.stream(job.path("renditions").spliterator(), false).map(r -> r.path("name").asText())
                .toList();
    }

    private static BufferedImage read(MinioClient s3, String key) throws Exception {
        try (InputStream in = s3.getObject(GetObjectArgs.builder().bucket("thumbnails").object(key).build())) {
            return ImageIO.read(new ByteArrayInputStream(in.readAllBytes()));
        }
    }

    private static long colourfulPixels(BufferedImage image) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                if (r != g || g != b) {
                    n++;
                }
            }
        }
        return n;
    }
}
