package io.github.knthumbnails.resize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.github.knthumbnails.image.EngineSettings;
import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.image.RenditionSpec;
import io.github.knthumbnails.image.StageListener;
import io.github.knthumbnails.telemetry.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Issue 11's engine target: the engine's cost per image with tracing on (stage spans through the SDK's batch
 * processor, stage histograms in a Prometheus registry, as in the pod) against the same engine with
 * {@link StageListener#NONE}, in one JVM, passes interleaved and alternating which goes first. Not a test; run it
 * pinned to one core: {@code taskset -c 1 java -cp <resize test classpath>
 * io.github.knthumbnails.resize.TracedEngineBench DIR PASSES}. Prints {@code untraced_ms}, {@code traced_ms}
 * (medians of the per-image pass means) and {@code ratio}, after 20 warm-up pairs of passes.
 */
public final class TracedEngineBench {

    private static final int WARMUP_PAIRS = 20;
    private static final List<RenditionSpec> THUMB = RenditionSpec.parseList("thumb:100x100:cover:80");

    private TracedEngineBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int passes = Integer.parseInt(args[1]);
        List<byte[]> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().toList()) {
                sources.add(Files.readAllBytes(f));
            }
        }
        ImageEngine engine = new ImageEngine(EngineSettings.from(System::getenv));
        System.out.println("decoder=" + engine.jpegDecoder() + " images=" + sources.size());
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite()).build()).build()) {
            Tracer tracer = tracing.get(Telemetry.SCOPE);
            JobTrace.Meters meters = JobTrace.Meters.of(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            // Long enough for the JIT to finish with both paths: on one core its compiler threads take the same CPU.
            for (int i = 0; i < WARMUP_PAIRS; i++) {
                pass(engine, sources, null, meters);
                pass(engine, sources, tracer, meters);
            }
            double[] untraced = new double[passes];
            double[] traced = new double[passes];
            for (int i = 0; i < passes; i++) {
                if (i % 2 == 0) {
                    untraced[i] = pass(engine, sources, null, meters);
                    traced[i] = pass(engine, sources, tracer, meters);
                } else {
                    traced[i] = pass(engine, sources, tracer, meters);
                    untraced[i] = pass(engine, sources, null, meters);
                }
            }
            double u = median(untraced);
            double t = median(traced);
            System.out.printf(Locale.ROOT, "untraced_ms=%.3f traced_ms=%.3f ratio=%.4f passes=%d%n", u, t, t / u,
                    passes);
        }
    }

    /** @return the mean time per image of one pass, in milliseconds */
    private static double pass(ImageEngine engine, List<byte[]> sources, Tracer tracer, JobTrace.Meters meters)
            throws Exception {
        long start = System.nanoTime();
        for (byte[] source : sources) {
            if (tracer == null) {
                engine.render(source, THUMB, StageListener.NONE);
                continue;
            }
            Span process = tracer.spanBuilder("process").startSpan();
            try (Scope ignored = process.makeCurrent()) {
                engine.render(source, THUMB, new JobTrace(tracer, meters));
            } finally {
                process.end();
            }
        }
        return (System.nanoTime() - start) / 1e6 / sources.size();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
