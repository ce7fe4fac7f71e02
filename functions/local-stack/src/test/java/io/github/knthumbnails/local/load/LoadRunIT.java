package io.github.knthumbnails.local.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.knthumbnails.local.LocalStack;
import io.github.knthumbnails.local.TestStacks;
import io.github.knthumbnails.testsupport.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load engine against a real local stack (embedded S3, the three function jars as processes): 12 real
 * photos, 3 uploads at a time; every job ends {@code succeeded} and the last line parses.
 */
class LoadRunIT {

    @Test
    void twelvePhotosThreeAtATimeAllSucceed(@TempDir Path dataDir) throws Exception {
        List<Path> photos = LoadMain.photos(SharedTestData.require("testdata/photos"));
        try (LocalStack stack = LocalStack.start(TestStacks.config(dataDir), line -> { })) {
            LoadTarget target = new LoadTarget(stack.s3Endpoint(), "minioadmin", "minioadmin", "images",
                    stack.url("status"));
            target.check(HttpClient.newHttpClient());

            List<JobOutcome> outcomes;
            try (Progress progress = new Progress(12, null, false)) {
                outcomes = new LoadRun(target, new LoadRun.Settings(12, 3, false, Duration.ofSeconds(60),
                        Duration.ofMillis(100)), progress).run(photos, LoadMain.runId());
            }
            LoadSummary summary = LoadSummary.of(outcomes, Double.NaN);
            System.out.println(String.join("\n", summary.humanLines()) + "\n" + summary.lastLine());

            assertThat(summary.ok()).isEqualTo(12);
            assertThat(summary.lost()).isZero();
            assertThat(outcomes).extracting(JobOutcome::key).doesNotHaveDuplicates()
                    .allMatch(key -> key.matches("load/\\d{8}T\\d{6}Z-[0-9a-f]{4}/\\d{5}-.+\\.jpg"));
            assertThat(outcomes).allMatch(o -> o.latencyMillis() > 0);
            var line = LoadSummaryTest.LAST_LINE.matcher(summary.lastLine());
            assertThat(line.matches()).as(summary.lastLine()).isTrue();
            assertThat(line.group(1)).isEqualTo("12");
            assertThat(line.group(2)).isEqualTo("12");
        }
    }
}
