package io.github.knthumbnails.telemetry;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.knthumbnails.storage.StorageObserver;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * A CLIENT span and a timer around every storage call, as the OpenTelemetry semantic conventions for AWS S3 name
 * them ({@code semantic-conventions/docs/object-stores/s3.md}, v1.44): span {@code S3.<operation>} with
 * {@code rpc.system=aws-api}, {@code rpc.service=S3}, {@code rpc.method}, {@code aws.s3.bucket} and
 * {@code aws.s3.key}. The timer {@code s3.client.operation} (seconds, histogram) has the tags {@code operation}
 * and {@code outcome} ({@code ok}, {@code not_found}, {@code error}) only: a key never becomes a metric label.
 */
public final class TracedStorage implements StorageObserver {

    static final AttributeKey<String> BUCKET = AttributeKey.stringKey("aws.s3.bucket");
    static final AttributeKey<String> KEY = AttributeKey.stringKey("aws.s3.key");
    static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
    static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final Tracer tracer;
    private final Meter.MeterProvider<Timer> timer;

    /**
     * @param tracer makes the spans ({@link Telemetry#tracer})
     * @param meters where the timers go
     */
    public TracedStorage(Tracer tracer, MeterRegistry meters) {
        this.tracer = tracer;
        this.timer = Timer.builder("s3.client.operation").description("Object storage requests, by S3 operation")
                .publishPercentileHistogram().withRegistry(meters);
    }

    @Override
    public <T> T observe(String operation, String bucket, String key, Supplier<T> call) {
        Span span = tracer.spanBuilder("S3." + operation).setSpanKind(SpanKind.CLIENT)
                .setAttribute(RPC_SYSTEM, "aws-api").setAttribute(RPC_SERVICE, "S3")
                .setAttribute(RPC_METHOD, operation).setAttribute(BUCKET, bucket).setAttribute(KEY, key)
                .startSpan();
        long start = System.nanoTime();
        String outcome = "error";
        try (Scope ignored = span.makeCurrent()) {
            T result = call.get();
            outcome = result instanceof Optional<?> o && o.isEmpty() ? "not_found" : "ok";
            return result;
        } catch (RuntimeException | Error e) {
            span.setStatus(StatusCode.ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
            span.setAttribute(ERROR_TYPE, e.getClass().getName());
            throw e;
        } finally {
            timer.withTags("operation", operation, "outcome", outcome)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            span.end();
        }
    }
}
