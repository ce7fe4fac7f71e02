package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.knthumbnails.deploy.MonitoringQueries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's telemetry across processes: the local stack with {@code OTEL_EXPORTER_OTLP_ENDPOINT} pointing at a
 * loopback {@link OtlpReceiver}, one generated JPEG uploaded with the MinIO SDK until its job is
 * {@code succeeded}, then what the three functions exported: one trace from the minio-source's webhook through
 * the Broker (which forwards {@code traceparent}) into resize's work, the status function's request spans, and
 * resize's metrics. Span and metric names are those of the telemetry contract (notes/i11-contract.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingEndToEndIT {

    private static final String KEY = "traced/gradient.jpg";
    /** Spans are exported in batches every few seconds (the OTel SDK's default schedule delay is 5 s). */
    private static final Duration SPANS = Duration.ofSeconds(30);
    /** Metrics are pushed once a step; the step is shortened below, but allow for a slower one. */
    private static final Duration METRICS = Duration.ofSeconds(40);
    private static final Pattern TELEMETRY_LINE = Pattern.compile("(?i).*(otlp|opentelemetry|exporter).*");

    private OtlpReceiver receiver;
    private LocalStack stack;
    private JsonNode job;

    @BeforeAll
    void uploadOnePhoto(@TempDir Path dataDir) throws Exception {
        receiver = OtlpReceiver.start();
        // Only the endpoint, as a user sets it: the functions sample every trace by default, and the local stack
        // pushes metrics every 10 s (FunctionWiring).
        Map<String, String> otel = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint().toString());
        stack = LocalStack.start(TestStacks.config(dataDir, otel), line -> {
            if (TELEMETRY_LINE.matcher(line).matches()) {
                System.out.println(line); // an exporter's complaint explains a failure below
            }
        });
        PipelineProbe probe = new PipelineProbe(stack);
        probe.put(KEY, PipelineProbe.jpeg(11), Duration.ofSeconds(10));
        job = probe.awaitTerminal(List.of(KEY), Duration.ofSeconds(30)).get(KEY);
        probe.status(KEY); // one more GET /status after the outcome, for the status function's spans
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Order(1)
    void theUploadSucceeded() {
        assertThat(job.path("status").asText()).as("job %s", job).isEqualTo("succeeded");
    }

    @Test
    @Order(2)
    void oneTraceRunsFromTheMinioSourceIntoResize() {
        receiver.await(() -> sharedTraces().size() == 1, SPANS,
                () -> "one trace id with spans of both minio-source and resize, got " + sharedTraces());
    }

    @Test
    @Order(3)
    void resizesPartOfThatTraceHasItsProcessingS3AndThumbnailSpans() {
        receiver.await(() -> resizeSpanNames().containsAll(List.of("process", "S3.GetObject", "S3.PutObject"))
                        && resizeSpanNames().stream().anyMatch(name -> name.startsWith("thumbnail.")), SPANS,
                () -> "process, S3.GetObject, S3.PutObject and a thumbnail.* span of resize in the shared trace,"
                        + " got " + resizeSpanNames());
        assertThat(resizeSpanNames()).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    @Order(4)
    void resizesProcessSpanIsAConsumerLinkedToTheEvent() {
        receiver.await(() -> !processSpans().isEmpty(), SPANS, () -> "resize's process span in the shared trace");
        OtlpData.Span process = processSpans().get(0);
        assertThat(process.kind()).as("%s", process).isEqualTo("CONSUMER");
        assertThat(process.linkTraceIds()).as("links of %s", process).isNotEmpty();
    }

    @Test
    @Order(5)
    void aStatusRequestMakesASpanOfTheStatusFunction() {
        // Not any SERVER span: the one for GET /status/images/...
        receiver.await(() -> receiver.spans("status").stream().anyMatch(TracingEndToEndIT::isStatusRequest),
                SPANS, () -> "a SERVER span of service.name status for GET /status/images/" + KEY);
    }

    @Test
    @Order(7)
    void theStacksHealthProbesMakeNoSpans() {
        // The stack polled every function's readiness before the upload, so those spans, had there been any, were
        // exported no later than the upload's, which the tests above waited for.
        assertThat(receiver.spans()).as("spans of every function").isNotEmpty()
                .noneMatch(span -> span.name().contains("/actuator")
                        || span.attributes().values().stream().anyMatch(value -> value.startsWith("/actuator")));
    }

    /** @return whether the span is the status function's answer to a {@code GET /status/...} */
    private static boolean isStatusRequest(OtlpData.Span span) {
        return span.kind().equals("SERVER") && (span.name().contains("/status")
                || span.attributes().values().stream().anyMatch(value -> value.contains("/status/images/")));
    }

    @Test
    @Order(8)
    void resizePushesItsJobAndStageMetrics() {
        Set<String> wanted = Set.of("thumbnails.jobs", "thumbnails.stage.duration");
        try {
            receiver.await(() -> receiver.metricNames("resize").containsAll(wanted), METRICS,
                    () -> "metrics " + wanted + " from resize");
        } catch (AssertionError notYet) {
            // Micrometer's OTLP registry also pushes once more when it closes: stop the functions and look again.
            stack.close();
            receiver.await(() -> receiver.metricNames("resize").containsAll(wanted), Duration.ofSeconds(10),
                    () -> "metrics " + wanted + " from resize, also after the stack stopped");
        }
    }

    /**
     * Every function metric that knative/monitoring's dashboard and alerts query is one the running functions
     * expose, by its Prometheus name, on {@code /actuator/prometheus} (after the upload above, so histograms and
     * counters that appear with their first sample are there), and none of the JVM, system, Logback or Tomcat
     * meters the functions leave out.
     */
    @Test
    @Order(6)
    void theDashboardAndAlertsQueryOnlyMetricsTheFunctionsExpose() throws Exception {
        Set<String> exposed = new TreeSet<>();
        HttpClient http = HttpClient.newHttpClient();
        for (String function : LocalStack.FUNCTIONS) {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(stack.url(function)
                    .resolve("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).as(function).isEqualTo(200);
            scrape.body().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.split("[{ ]", 2)[0]).forEach(exposed::add);
        }

        assertThat(exposed).containsAll(MonitoringQueries.functionMetricNames());
        assertThat(exposed).contains("thumbnails_jobs_total", "thumbnails_stage_duration_seconds_bucket",
                "s3_client_operation_seconds_bucket", "thumbnails_source_events_total", "thumbnails_dead_letters_total",
                "application_ready_time_seconds");
        // Left out of every function (README, "Metrics"): nothing queries them, and they cost each start memory.
        assertThat(exposed).noneMatch(name -> name.matches("(jvm|system|process|logback|tomcat)_.*"));
    }

    /** @return the trace ids that have spans of both minio-source and resize */
    private Set<String> sharedTraces() {
        Set<String> source = receiver.spans("minio-source").stream().map(OtlpData.Span::traceId)
                .collect(Collectors.toSet());
        return receiver.spans("resize").stream().map(OtlpData.Span::traceId).filter(source::contains)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** @return resize's spans in the one shared trace; empty while there is not exactly one */
    private List<OtlpData.Span> resizeSpansOfTheTrace() {
        Set<String> shared = sharedTraces();
        if (shared.size() != 1) {
            return List.of();
        }
        String trace = shared.iterator().next();
        return receiver.spans("resize").stream().filter(span -> span.traceId().equals(trace)).toList();
    }

    private Set<String> resizeSpanNames() {
        return resizeSpansOfTheTrace().stream().map(OtlpData.Span::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<OtlpData.Span> processSpans() {
        return resizeSpansOfTheTrace().stream().filter(span -> span.name().equals("process")).toList();
    }
}
