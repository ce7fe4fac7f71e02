package io.github.knthumbnails.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server (S3Proxy on its filesystem back end, in a temporary folder) on a free local port, for test
 * classes whose Spring context needs a fixed endpoint. Credentials are {@value #CREDENTIAL}/{@value #CREDENTIAL}.
 * Modules using it declare {@code org.gaul:s3proxy} with test scope. Held in a static field annotated
 * {@code @RegisterExtension}, it stops after the test class.
 */
public final class S3TestServer implements AutoCloseable, AfterAllCallback {

    /** Access key and secret key of the server. */
    public static final String CREDENTIAL = "minioadmin";

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final URI endpoint;

    /**
     * Starts the server with the given buckets.
     *
     * @param buckets bucket names to create
     * @throws IllegalStateException if it cannot start
     */
    public S3TestServer(String... buckets) {
        try {
            Path root = Files.createTempDirectory("s3-test-server");
            blobStore = new FilesystemNio2BlobStore(root.toString());
            for (String bucket : buckets) {
                blobStore.createContainer(bucket);
            }
            proxy = S3Proxy.builder().blobStore(blobStore).endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, CREDENTIAL, CREDENTIAL)
                    .stopTimeout(0).build();
            proxy.start();
            endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /** @return the S3 endpoint, e.g. {@code http://127.0.0.1:40123} */
    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server after the test class that registered it (JUnit 5 {@code @RegisterExtension}). */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops the server. */
    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            blobStore.close();
        }
    }
}
