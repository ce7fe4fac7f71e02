package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import io.github.knthumbnails.events.Buckets;
import io.minio.MinioClient;

import static org.assertj.core.api.Assertions.assertThat;

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
        return config(dataDir, Map.of());
    }

    /**
     * @param dataDir     where the stack keeps its objects and queued events
     * @param functionEnv extra environment for every function, e.g. {@code OTEL_EXPORTER_OTLP_ENDPOINT}
     * @return settings as {@link #config(Path)}, with that environment
     */
    public static LocalStack.Config config(Path dataDir, Map<String, String> functionEnv) {
        return LocalStack.Config.of(dataDir, functions(), 0, Map.of(), KEY, KEY, Buckets.from(name -> null),
                "e2e-token", null, functionEnv);
    }

    /**
     * @param stack a running stack
     * @return a client for its S3 server (no request made)
     */
    public static MinioClient s3(LocalStack stack) {
        return MinioClient.builder().endpoint(stack.s3Endpoint().toString()).credentials(KEY, KEY)
                .region("us-east-1").build();
    }

    /**
     * @return a port no socket of this machine listens on at the moment of the call
     * @throws IOException if no socket can be opened
     */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Sends a signal with {@code kill} and asserts it was delivered.
     *
     * @param signal e.g. {@code -STOP}, {@code -CONT}, {@code -KILL}
     * @param pid    the process
     * @throws Exception if {@code kill} cannot be run
     */
    public static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill " + signal + " " + pid).isZero();
    }
}
