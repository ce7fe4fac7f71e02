package io.github.knthumbnails.resize;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.knthumbnails.image.StageListener;
import io.github.knthumbnails.storage.SourceImage;
import io.github.knthumbnails.telemetry.Telemetry;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;

/**
 * What one job's pass measured, from one set of clock readings (issue 11): the engine's stages become INTERNAL spans
 * {@code thumbnail.admit}, {@code thumbnail.decode}, {@code thumbnail.resize} and {@code thumbnail.encode} (one per
 * rendition, with its name, pixel size and format), samples of {@code thumbnails.stage.duration} ({@code stage}
 * tag; seconds, histogram), and — with the storage stages {@code fetch} and {@code store} — the per-stage
 * milliseconds the job record keeps, so {@code GET /status} shows where the time went without a collector.
 *
 * <p>Confined to the request thread that handles the event; {@link JobTelemetry#process} makes one current.
 */
final class JobTrace implements StageListener {

    private static final ThreadLocal<JobTrace> CURRENT = new ThreadLocal<>();
    private static final AttributeKey<String> RENDITION = AttributeKey.stringKey("thumbnail.rendition");
    private static final AttributeKey<Long> WIDTH = AttributeKey.longKey("thumbnail.width");
    private static final AttributeKey<Long> HEIGHT = AttributeKey.longKey("thumbnail.height");
    private static final AttributeKey<String> FORMAT = AttributeKey.stringKey("thumbnail.format");

    private final Tracer tracer;
    private final Meters meters;
    private final long anchorNanos = System.nanoTime();
    private final long anchorEpochNanos;
    private final Map<String, Long> nanosByStage = new LinkedHashMap<>();
    private String errorClass;
    private SourceImage source;

    /**
     * The per-job meters, registered once per registry and shared by every job.
     *
     * @param stages     {@code thumbnails.stage.duration}, by {@code stage}
     * @param sourceSize {@code thumbnails.source.size}
     */
    record Meters(Meter.MeterProvider<Timer> stages, DistributionSummary sourceSize) {

        /**
         * @param registry where they are registered
         * @return the meters
         */
        static Meters of(MeterRegistry registry) {
            return new Meters(Timer.builder("thumbnails.stage.duration").description("One stage of a job: fetch,"
                    + " admit, decode, resize, encode, store").publishPercentileHistogram().withRegistry(registry),
                    DistributionSummary.builder("thumbnails.source.size").baseUnit("bytes").description("Sources read")
                            .publishPercentileHistogram().register(registry));
        }
    }

    /**
     * @param tracer makes the stage spans
     * @param meters where stage and size samples go; {@code null} for none
     */
    JobTrace(Tracer tracer, Meters meters) {
        this.tracer = tracer;
        this.meters = meters;
        Instant now = Instant.now();
        this.anchorEpochNanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    /** @return the job trace of the event being handled on this thread, or an untraced one that only keeps times */
    static JobTrace current() {
        JobTrace current = CURRENT.get();
        return current != null ? current : new JobTrace(Telemetry.tracer(OpenTelemetry.noop()), null);
    }

    /** Undoes {@link #makeCurrent}. */
    interface Current extends AutoCloseable {
        @Override
        void close();
    }

    /** @return makes this the thread's {@link #current()} until closed */
    Current makeCurrent() {
        JobTrace previous = CURRENT.get();
        CURRENT.set(this);
        return () -> CURRENT.set(previous);
    }

    /** Forgets the times of an earlier pass over another version of the same key. */
    void restart() {
        nanosByStage.clear();
        errorClass = null;
        source = null;
    }

    /** @return the format and stored pixel size admission found, or {@code null} before admission passed */
    SourceImage source() {
        return source;
    }

    @Override
    public void ended(Stage stage, String rendition, long startNanos, long endNanos, int width, int height,
                      String detail) {
        SpanBuilder span = tracer.spanBuilder("thumbnail." + stage.wireName())
                .setStartTimestamp(epochNanos(startNanos), TimeUnit.NANOSECONDS)
                .setAttribute(WIDTH, (long) width).setAttribute(HEIGHT, (long) height);
        if (rendition != null) {
            span.setAttribute(RENDITION, rendition);
        }
        if (detail != null) {
            span.setAttribute(FORMAT, detail);
        }
        span.startSpan().end(epochNanos(endNanos), TimeUnit.NANOSECONDS);
        add(stage.wireName(), endNanos - startNanos);
        if (stage == Stage.ADMIT && detail != null) {
            source = new SourceImage(detail, width, height);
        }
    }

    /**
     * Times one storage stage of the job.
     *
     * @param stage {@code fetch} (the source GET) or {@code store} (the renditions' PUTs)
     * @param call  the work
     * @param <T>   its result
     * @return what {@code call} returned
     */
    <T> T timed(String stage, Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            add(stage, System.nanoTime() - start);
        }
    }

    /** @param bytes the size of the source read, recorded in {@code thumbnails.source.size} */
    void sourceBytes(long bytes) {
        if (meters != null) {
            meters.sourceSize().record(bytes);
        }
    }

    /** @param errorClass the error class of the job's {@code failed} record (JobTelemetry puts it on the span) */
    void failed(String errorClass) {
        this.errorClass = errorClass;
    }

    /** @return the error class of the failed job, or {@code null} */
    String errorClass() {
        return errorClass;
    }

    /** @return milliseconds per stage, rounded to 0.1 ms, in the order the stages first ran */
    Map<String, Double> timingsMs() {
        Map<String, Double> ms = new LinkedHashMap<>();
        nanosByStage.forEach((stage, nanos) -> ms.put(stage, Math.round(nanos / 100_000.0) / 10.0));
        return ms;
    }

    private void add(String stage, long nanos) {
        nanosByStage.merge(stage, nanos, Long::sum);
        if (meters != null) {
            meters.stages().withTag("stage", stage).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private long epochNanos(long nanoTime) {
        return anchorEpochNanos + (nanoTime - anchorNanos);
    }
}
