package io.github.knthumbnails.resize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.github.knthumbnails.testsupport.LargeBodyPost;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The resize function's body limit over real HTTP (issue 8, finding 8), configured here to 4096 bytes
 * ({@code MAX_REQUEST_BYTES}): a 64 MiB CloudEvent, declared or chunked, is refused with 413 without being read;
 * a body within the limit still reaches the function.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "MAX_REQUEST_BYTES=4096")
class ResizeRequestLimitTests {

    private static final long HUGE = 64L << 20;
    private static final Map<String, String> BINARY_EVENT = Map.of("Content-Type", "application/json",
            "ce-specversion", "1.0", "ce-id", "big", "ce-source", "minio:s3..images",
            "ce-type", "com.amazonaws.s3.ObjectCreated:Put");

    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @LocalServerPort
    int port;

    @Test
    void aHugeDeclaredBodyIs413() throws Exception {
        LargeBodyPost.Response response = LargeBodyPost.post(port, "/", BINARY_EVENT, HUGE, false);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("the limit is 4096 bytes (MAX_REQUEST_BYTES)");
        assertThat(response.bytesSent()).isLessThan(HUGE);
    }

    @Test
    void aHugeChunkedBodyIs413() throws Exception {
        LargeBodyPost.Response response = LargeBodyPost.post(port, "/", BINARY_EVENT, HUGE, true);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.bytesSent()).isLessThan(HUGE);
    }

    @Test
    void oneByteOverTheLimitIs413AndABodyAtTheLimitPasses() throws Exception {
        assertThat(LargeBodyPost.post(port, "/", BINARY_EVENT, 4097, true).status()).isEqualTo(413);
        assertThat(LargeBodyPost.post(port, "/", BINARY_EVENT, 4097, false).status()).isEqualTo(413);
        // 4096 zero bytes are no S3 record: the function itself refuses them with 400.
        assertThat(LargeBodyPost.post(port, "/", BINARY_EVENT, 4096, true).status()).isEqualTo(400);
        assertThat(LargeBodyPost.post(port, "/", BINARY_EVENT, 4096, false).status()).isEqualTo(400);
    }
}
