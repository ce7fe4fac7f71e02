package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.knthumbnails.events.Buckets;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry variables reach the functions: set by the stack's config, or inherited from this process. */
class FunctionEnvironmentTest {

    static final Map<String, URI> URLS = Map.of("minio-source", URI.create("http://127.0.0.1:8080/"),
            "resize", URI.create("http://127.0.0.1:8081/"), "status", URI.create("http://127.0.0.1:8082/"));

    static FunctionWiring wiring(Map<String, String> functionEnv) {
        LocalStack.Config config = LocalStack.Config.of(Path.of("data"), Path.of(".."), 0, Map.of(), "k", "k",
                Buckets.from(name -> null), null, null, functionEnv);
        return new FunctionWiring(config, URLS, URI.create("http://127.0.0.1:9000"),
                URI.create("http://127.0.0.1:8090/"), 2);
    }

    @Test
    void otelVariablesOfTheConfigReachEveryFunctionUnchanged() {
        Map<String, String> otel = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=local",
                "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "1.0");
        FunctionWiring wiring = wiring(otel);

        for (String function : LocalStack.FUNCTIONS) {
            assertThat(wiring.environment(function)).as(function).containsAllEntriesOf(otel);
        }
    }

    /**
     * The stack sets one OTel variable of its own, a 10 s metrics interval, and only when neither this process nor
     * the config sets it; every other OTEL_* comes from this process or the config.
     */
    @Test
    void theStackSetsOnlyADefaultMetricIntervalSoThoseOfThisProcessPassThrough() {
        FunctionWiring wiring = wiring(Map.of());
        FunctionWiring configured = wiring(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "2500"));

        for (String function : LocalStack.FUNCTIONS) {
            assertThat(wiring.environment(function).keySet()).as(function)
                    .filteredOn(name -> name.startsWith("OTEL_"))
                    .isSubsetOf("OTEL_METRIC_EXPORT_INTERVAL");
            if (System.getenv("OTEL_METRIC_EXPORT_INTERVAL") == null) {
                assertThat(wiring.environment(function)).containsEntry("OTEL_METRIC_EXPORT_INTERVAL", "10000");
            }
            assertThat(configured.environment(function)).containsEntry("OTEL_METRIC_EXPORT_INTERVAL", "2500");
        }
    }

    /** Issue 12: the status page's uploads from the browser are on locally, unless the user says otherwise. */
    @Test
    void browserUploadsAreOnForTheStatusFunctionUnlessConfigured() {
        if (System.getenv("BROWSER_UPLOADS") == null) {
            assertThat(wiring(Map.of()).environment("status")).containsEntry("BROWSER_UPLOADS", "true");
        }
        assertThat(wiring(Map.of("BROWSER_UPLOADS", "false")).environment("status"))
                .containsEntry("BROWSER_UPLOADS", "false");
        assertThat(wiring(Map.of()).environment("resize")).doesNotContainKey("BROWSER_UPLOADS");
        assertThat(wiring(Map.of()).environment("minio-source")).doesNotContainKey("BROWSER_UPLOADS");
    }

    @Test
    void aLaunchedFunctionInheritsThisProcessesEnvironmentPlusItsOwn() throws Exception {
        String inherited = System.getenv().entrySet().stream()
                .filter(e -> e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") && !e.getValue().contains("\n"))
                .map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        List<String> lines = new CopyOnWriteArrayList<>();
        FunctionProcess process = new FunctionProcess("env", URLS.get("status"), List.of("env"),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), lines::add);

        process.launch();

        assertThat(process.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(lines).contains("[env] OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318",
                "[env] " + inherited + "=" + System.getenv(inherited));
    }
}
