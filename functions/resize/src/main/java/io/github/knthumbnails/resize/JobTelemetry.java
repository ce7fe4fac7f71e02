package io.github.knthumbnails.resize;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.MalformedEventException;
import io.github.knthumbnails.resize.ResizeService.Outcome;
import io.github.knthumbnails.events.S3CloudEvents;
import io.github.knthumbnails.events.S3EventNames;
import io.github.knthumbnails.storage.StorageException;
import io.github.knthumbnails.telemetry.CloudEventTracing;
import io.github.knthumbnails.telemetry.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * resize's spans and metrics around one CloudEvent (issue 11): a CONSUMER span {@code process} linked to the
 * context the event was produced in (its {@code traceparent} extension), child of the HTTP server span, and the
 * meters of the README's metric table:
 * <ul>
 *   <li>{@code thumbnails.events.received} ({@code kind}: created, removed, other);</li>
 *   <li>{@code thumbnails.jobs} ({@code outcome}: succeeded, failed, ignored, superseded, removed, rejected, error;
 *       {@code error_type}: the job's error class, storage, out_of_memory, malformed or none);</li>
 *   <li>{@code thumbnails.job.duration} and, for final outcomes, {@code thumbnails.end_to_end.latency} (now minus
 *       the event's {@code time}, the upload), seconds, histograms;</li>
 *   <li>{@code thumbnails.jobs.inflight}; the per-job meters of {@link JobTrace}.</li>
 * </ul>
 * Labels are bounded sets: an event's own strings (type, key) never become one.
 */
final class JobTelemetry {

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("thumbnails.outcome");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final Tracer tracer;
    private final AtomicInteger inflight = new AtomicInteger();
    private final Meter.MeterProvider<Counter> received;
    private final Meter.MeterProvider<Counter> jobs;
    private final Meter.MeterProvider<Timer> jobDuration;
    private final Meter.MeterProvider<Timer> endToEnd;
    private final JobTrace.Meters jobMeters;

    /**
     * @param openTelemetry the SDK spans are made with ({@link OpenTelemetry#noop()} for none)
     * @param meters        where meters are registered
     */
    JobTelemetry(OpenTelemetry openTelemetry, MeterRegistry meters) {
        this.tracer = Telemetry.tracer(openTelemetry);
        meters.gauge("thumbnails.jobs.inflight", inflight);
        this.received = Counter.builder("thumbnails.events.received").withRegistry(meters);
        this.jobs = Counter.builder("thumbnails.jobs").withRegistry(meters);
        this.jobDuration = Timer.builder("thumbnails.job.duration").description("Handling one CloudEvent, from its"
                + " arrival to the final job record").publishPercentileHistogram().withRegistry(meters);
        this.endToEnd = Timer.builder("thumbnails.end_to_end.latency").description("From the upload (the event's"
                + " time) to its final job record").publishPercentileHistogram().withRegistry(meters);
        this.jobMeters = JobTrace.Meters.of(meters);
    }

    /** Counts an HTTP request that was not a CloudEvent at all (answered 400). */
    void rejected() {
        jobs.withTags("outcome", "rejected", "error_type", "malformed").increment();
    }

    /**
     * Runs {@code work} for one event inside its {@code process} span, with a {@link JobTrace} current.
     *
     * @param event the CloudEvent
     * @param work  handles it
     * @return what {@code work} returned
     * @throws RuntimeException as {@code work} threw it, and errors likewise, after recording them
     */
    Outcome process(CloudEvent event, Supplier<Outcome> work) {
        received.withTag("kind", kind(event.getType())).increment();
        Span span = CloudEventTracing.process(tracer, event).startSpan();
        JobTrace job = new JobTrace(tracer, jobMeters);
        long start = System.nanoTime();
        inflight.incrementAndGet();
        String outcome = "error";
        String errorType = "none";
        try (Scope ignored = span.makeCurrent(); JobTrace.Current current = job.makeCurrent()) {
            Outcome result = work.get();
            outcome = result.name().toLowerCase(Locale.ROOT);
            errorType = job.errorClass() == null ? "none" : job.errorClass();
            if (result == Outcome.SUCCEEDED || result == Outcome.FAILED) {
                endToEnd(event.getTime(), outcome);
            }
            return result;
        } catch (MalformedEventException e) {
            outcome = "rejected";
            errorType = "malformed";
            fail(span, e);
            throw e;
        } catch (StorageException e) {
            errorType = "storage";
            fail(span, e);
            throw e;
        } catch (RuntimeException | Error e) {
            errorType = e instanceof OutOfMemoryError ? "out_of_memory" : e.getClass().getSimpleName();
            fail(span, e);
            throw e;
        } finally {
            inflight.decrementAndGet();
            span.setAttribute(OUTCOME, outcome);
            if (!errorType.equals("none")) {
                span.setAttribute(ERROR_TYPE, errorType);
            }
            span.end();
            jobDuration.withTag("outcome", outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            jobs.withTags("outcome", outcome, "error_type", errorType).increment();
        }
    }

    private static void fail(Span span, Throwable e) {
        span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
        span.recordException(e);
    }

    private void endToEnd(OffsetDateTime uploaded, String outcome) {
        if (uploaded == null) {
            return;
        }
        Duration latency = Duration.between(uploaded.toInstant(), Instant.now());
        if (!latency.isNegative()) {
            endToEnd.withTag("outcome", outcome).record(latency);
        }
    }

    private static String kind(String type) {
        String name = type != null && type.startsWith(S3CloudEvents.TYPE_PREFIX)
                ? type.substring(S3CloudEvents.TYPE_PREFIX.length()) : "";
        return S3EventNames.createsContent(name) ? "created" : S3EventNames.removesContent(name) ? "removed"
                : "other";
    }
}
