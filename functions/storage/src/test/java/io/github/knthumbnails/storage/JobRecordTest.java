package io.github.knthumbnails.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JobRecordTest {

    private static final Instant STARTED = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final Instant FINISHED = Instant.parse("2026-11-23T10:15:30.456Z");

    @Test
    void aSucceededRecordRoundTripsThroughMetadata() {
        JobRecord record = JobRecord.succeeded("e1", STARTED, FINISHED, List.of(
                new RenditionInfo("small", 320, 240, "image/jpeg", 20_000, "320x240:cover:80:jpeg"),
                new RenditionInfo("thumb", 100, 100, "image/jpeg", 3_456, "100x100:cover:80:jpeg")));

        Map<String, String> metadata = record.toMetadata();

        assertThat(metadata).containsEntry("status", "succeeded").containsEntry("source-etag", "e1")
                .containsEntry("rendition-thumb", "100x100 3456 image/jpeg 100x100:cover:80:jpeg")
                .containsEntry("started", "2026-11-23T10:15:30.123Z");
        assertThat(JobRecord.fromMetadata(metadata)).contains(record);
    }

    /**
     * Issue 13: a succeeded record settles its version only for the profile that made it; a record without
     * fingerprints (written before they were kept) matches no profile, and an engine failure settles whatever the
     * profile.
     */
    @Test
    void aSucceededRecordSettlesItsVersionOnlyForTheProfileThatMadeIt() {
        Map<String, String> profile = Map.of("thumb", "100x100:cover:80:jpeg");
        JobRecord current = JobRecord.succeeded("e1", STARTED, FINISHED,
                List.of(new RenditionInfo("thumb", 100, 100, "image/jpeg", 3_456, "100x100:cover:80:jpeg")));

        assertThat(current.settles("e1", profile)).isTrue();
        assertThat(current.settles("e2", profile)).isFalse();
        assertThat(current.settles("e1", Map.of("thumb", "100x100:cover:80:jpeg:grayscale"))).isFalse();
        assertThat(current.settles("e1", Map.of("thumb", "100x100:cover:80:jpeg", "big", "800x800:fit:85:jpeg")))
                .isFalse();
        Map<String, String> legacy = new HashMap<>(current.toMetadata());
        legacy.put("rendition-thumb", "100x100 3456 image/jpeg");
        JobRecord old = JobRecord.fromMetadata(legacy).orElseThrow();
        assertThat(old.renditions()).singleElement().satisfies(r -> assertThat(r.spec()).isNull());
        assertThat(old.settles("e1", profile)).isFalse();
        legacy.put("rendition-thumb", "100x100 3456 image/jpeg " + "x".repeat(101));
        assertThat(JobRecord.fromMetadata(legacy)).get().satisfies(r -> assertThat(r.renditions()).isEmpty());
        JobRecord corrupt = JobRecord.failed("e1", STARTED, FINISHED, new JobError("corrupt", "truncated"));
        assertThat(corrupt.settles("e1", profile)).isTrue();
        assertThat(JobRecord.failed("e1", STARTED, FINISHED, new JobError("delivery_failed", "x"))
                .settles("e1", profile)).isFalse();
    }

    /** Issue 11: the trace and the stage timings travel with the record; a damaged value is dropped, not fatal. */
    @Test
    void traceIdAndTimingsRoundTripAndDamagedValuesAreDropped() {
        JobRecord record = JobRecord.succeeded("e1", STARTED, FINISHED, List.of())
                .withTrace("4bf92f3577b34da6a3ce929d0e0e4736", Map.of("fetch", 1.9, "decode", 12.3));

        Map<String, String> metadata = record.toMetadata();

        assertThat(metadata).containsEntry("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(metadata.get("timings")).contains("fetch=1.9").contains("decode=12.3");
        assertThat(JobRecord.fromMetadata(metadata)).contains(record);
        Map<String, String> damaged = new java.util.HashMap<>(metadata);
        damaged.put("trace-id", "<script>");
        damaged.put("timings", "fetch=1.9 evil=NaN decode=x store=4.0;rm");
        JobRecord read = JobRecord.fromMetadata(damaged).orElseThrow();
        assertThat(read.traceId()).isNull();
        assertThat(read.timingsMs()).containsEntry("fetch", 1.9).containsEntry("store", 4.0).hasSize(2);
        assertThatThrownBy(() -> record.withTrace("not-a-trace", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Issue 12: the source's format and pixel size travel with the record; a damaged value is dropped. */
    @Test
    void theSourceImageRoundTripsAndADamagedValueIsDropped() {
        JobRecord record = JobRecord.failed("e1", STARTED, FINISHED, new JobError("too_large", "too many pixels"))
                .withSource(new SourceImage("jpeg", 20000, 14000));

        Map<String, String> metadata = record.toMetadata();

        assertThat(metadata).containsEntry("source-image", "jpeg 20000x14000");
        assertThat(JobRecord.fromMetadata(metadata)).contains(record);
        for (String damaged : List.of("jpeg 0x10", "JPEG 10x10", "jpeg 10x10 extra", "jpeg 99999999x1", "<b>")) {
            Map<String, String> copy = new java.util.HashMap<>(metadata);
            copy.put("source-image", damaged);
            assertThat(JobRecord.fromMetadata(copy).orElseThrow().source()).as(damaged).isNull();
        }
        assertThatThrownBy(() -> new SourceImage("jpeg", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SourceImage("x y", 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedRecordKeepsANonAsciiReasonReadableAndAscii() {
        JobRecord record = JobRecord.failed("e1", STARTED, FINISHED,
                new JobError("unsupported_format", "photos/Mÿ Cat 100%.png is a PDF, not an image"));

        Map<String, String> metadata = record.toMetadata();

        assertThat(metadata.get("error-message")).isEqualTo("photos/M%C3%BF Cat 100%25.png is a PDF, not an image");
        assertThat(metadata.values()).allSatisfy(v -> assertThat(v).matches("[\\x20-\\x7e]*"));
        assertThat(JobRecord.fromMetadata(metadata)).contains(record);
    }

    @Test
    void cutsLongMessagesToStayWithinS3MetadataLimits() {
        JobRecord record = JobRecord.failed("e1", STARTED, FINISHED, new JobError("corrupt", "x".repeat(5_000)));

        String stored = JobRecord.fromMetadata(record.toMetadata()).orElseThrow().error().message();

        assertThat(stored).hasSize(JobRecord.MAX_MESSAGE_CHARS).endsWith("…");
    }

    @Test
    void aProcessingRecordHasNoFinishTime() {
        JobRecord record = JobRecord.processing("e1", STARTED);

        assertThat(record.toMetadata()).doesNotContainKey("finished");
        assertThat(JobRecord.fromMetadata(record.toMetadata())).contains(record);
    }

    @Test
    void metadataWithoutARecordReadsAsNone() {
        assertThat(JobRecord.fromMetadata(Map.of())).isEmpty();
        Map<String, String> unknownStatus = new HashMap<>(JobRecord.processing("e1", STARTED).toMetadata());
        unknownStatus.put("status", "exploded");
        assertThat(JobRecord.fromMetadata(unknownStatus)).isEmpty();
        assertThat(JobRecord.fromMetadata(Map.of("status", "pending", "source-etag", "e", "started",
                STARTED.toString()))).isEmpty();
    }

    /** Issue 8, finding 1: only succeeded and the engine's own verdicts settle a version. */
    @Test
    void onlySucceededAndEngineDecidedFailuresAreFinal() {
        assertThat(JobRecord.succeeded("e1", STARTED, FINISHED, List.of()).settles("e1", Map.of())).isTrue();
        for (String engineClass : List.of("unsupported_format", "corrupt", "too_large")) {
            assertThat(JobRecord.failed("e1", STARTED, FINISHED, new JobError(engineClass, "x")).isFinal()).isTrue();
        }
        assertThat(JobRecord.failed("e1", STARTED, FINISHED, new JobError("delivery_failed", "x")).isFinal())
                .isFalse();
        assertThat(JobRecord.failed("e1", STARTED, FINISHED, new JobError("key_conflict", "x")).isFinal()).isFalse();
        assertThat(JobRecord.processing("e1", STARTED).isFinal()).isFalse();
        assertThat(JobRecord.succeeded("e1", STARTED, FINISHED, List.of()).settles("e2", Map.of())).isFalse();
    }

    /**
     * Issue 8: a render past IMAGE_DEADLINE_MS may be the node's fault (CPU-starved), so its failed record does not
     * settle the version; a redelivery, re-upload of the same bytes or backfill renders it again. An admission
     * verdict (too_large) still does.
     */
    @Test
    void aDeadlineOverrunIsNotFinalWhileTooLargeIs() {
        JobRecord overran = JobRecord.failed("e1", STARTED, FINISHED, new JobError("deadline_exceeded", "slow"));
        assertThat(overran.isFinal()).isFalse();
        assertThat(overran.settles("e1", Map.of())).isFalse();
        assertThat(JobRecord.fromMetadata(overran.toMetadata()).orElseThrow().isFinal()).isFalse();
        assertThat(JobRecord.failed("e1", STARTED, FINISHED, new JobError("too_large", "big")).settles("e1", Map.of())).isTrue();
    }
}
