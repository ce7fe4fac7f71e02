package io.github.knthumbnails.resize;

import static io.github.knthumbnails.resize.ResizeIntegrationTests.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.knthumbnails.image.EngineSettings;
import io.github.knthumbnails.image.ImageEngine;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobState;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Issue 8, finding 7: out of memory is transient. Over real HTTP, with the engine throwing
 * {@link OutOfMemoryError} as a pod under memory pressure does: the function answers 503 (the Broker retries),
 * records no {@code too_large}, and the redelivery finishes the job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ResizeOutOfMemoryTests {

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private static final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));
    /** Whether the next render runs out of memory. */
    private static final AtomicBoolean outOfMemory = new AtomicBoolean();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @TestBean
    Renderer renderer;

    static Renderer renderer() {
        ImageEngine engine = new ImageEngine(EngineSettings.from(name -> null));
        return (source, specs, stages) -> {
            if (outOfMemory.getAndSet(false)) {
                throw new OutOfMemoryError("Java heap space");
            }
            return engine.render(source, specs, stages);
        };
    }

    @LocalServerPort
    int port;

    @Test
    void outOfMemoryAnswers503AndTheRedeliveryFinishesTheJob() throws Exception {
        store.put("images", "big.jpg", jpeg(400, 300), "image/jpeg", Map.of());
        String eTag = store.stat("images", "big.jpg").orElseThrow().eTag();
        outOfMemory.set(true);

        HttpResponse<String> response = TestEvents.post(port, TestEvents.put("big.jpg", eTag));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().map().keySet()).noneMatch(name -> name.toLowerCase().startsWith("ce-"));
        JobRecord afterOom = new JobStore(store, "thumbnails").read("images", "big.jpg").orElseThrow();
        assertThat(afterOom.state()).isEqualTo(JobState.PROCESSING);
        assertThat(afterOom.isFinal()).isFalse();

        assertThat(TestEvents.post(port, TestEvents.put("big.jpg", eTag)).statusCode()).isEqualTo(200);
        assertThat(new JobStore(store, "thumbnails").read("images", "big.jpg").orElseThrow().state())
                .isEqualTo(JobState.SUCCEEDED);
    }
}
