package io.github.knthumbnails.local;

import java.nio.file.Path;
import java.util.Map;

import io.github.knthumbnails.events.Buckets;
import io.minio.MinioClient;

/**
 * The local stack the end-to-end tests start: the repository's built function jars ({@code thumbnails.functions},
 * default {@code ..}), any free ports, the default credentials and buckets, and a MinIO client for it.
 */
public final class TestStacks {

    /** The S3 access and secret key of every test stack. */
    public static final String KEY = "minioadmin";

    private TestStacks() {
    }

    /** @return the repository's {@code functions/} folder, where the function jars are built */
    public static Path functions() {
        return Path.of(System.getProperty("thumbnails.functions", ".."));
    }

    /**
     * @param dataDir where the stack keeps its objects and queued events
     * @return settings with the repository's Trigger, one event in flight per processor and no extra environment
     */
    public static LocalStack.Config config(Path dataDir) {
        return LocalStack.Config.of(dataDir, functions(), 0, Map.of(), KEY, KEY, Buckets.from(name -> null),
                "e2e-token", null, Map.of());
    }

    /**
     * @param stack a running stack
     * @return a client for its S3 server (no request made)
     */
    public static MinioClient s3(LocalStack stack) {
        return MinioClient.builder().endpoint(stack.s3Endpoint().toString()).credentials(KEY, KEY)
                .region("us-east-1").build();
    }
}
