package io.github.knthumbnails.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/**
 * A real S3 server (S3Proxy on its filesystem back end, in a temporary folder) on a free local port, for test
 * classes whose Spring context needs a fixed endpoint. Credentials are {@value #CREDENTIAL}/{@value #CREDENTIAL}.
 * Modules using it declare {@code org.gaul:s3proxy} with test scope. Held in a static field annotated
 * {@code @RegisterExtension}, it stops after the test class.
 *
 * <p>It records every HTTP request it receives ({@link #requests()}), as the server saw it, so a test can state
 * exactly which storage round trips a piece of code makes (issue 9: fewer round trips per job).
 */
public final class S3TestServer implements AutoCloseable, AfterAllCallback {

    /** Access key and secret key of the server. */
    public static final String CREDENTIAL = "minioadmin";

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final URI endpoint;
    private final List<S3Request> requests = new CopyOnWriteArrayList<>();

    /**
     * One request the server received.
     *
     * @param method  HTTP method, e.g. {@code HEAD}
     * @param path    the decoded path, bucket first, e.g. {@code /images/uploads/My Cat é.jpg}
     * @param query   the raw query string, {@code null} if none (e.g. {@code location} for GetBucketLocation)
     * @param ifMatch the {@code If-Match} header, {@code null} if none (a conditional GET)
     */
    public record S3Request(String method, String path, String query, String ifMatch) {

        /** @return e.g. {@code GET /images/cat.jpg?location} or {@code GET /images/cat.jpg If-Match} */
        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + (ifMatch == null ? "" : " If-Match");
        }
    }

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
            recordRequests();
            proxy.start();
            endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /**
     * S3Proxy offers no request hook, so its (shaded) Jetty server's handler is wrapped in one that notes each
     * request before passing it on. Written against S3Proxy 4.1.0; if a later version renames the field this fails
     * loudly here rather than recording nothing.
     */
    private void recordRequests() throws ReflectiveOperationException {
        Field field = S3Proxy.class.getDeclaredField("server");
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        Handler s3 = server.getHandler();
        server.setHandler(new Handler.Wrapper(s3) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                requests.add(new S3Request(request.getMethod(), request.getHttpURI().getDecodedPath(),
                        request.getHttpURI().getQuery(), request.getHeaders().get("If-Match")));
                return super.handle(request, response, callback);
            }
        });
    }

    /** @return the S3 endpoint, e.g. {@code http://127.0.0.1:40123} */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * @return every request received since the start or the last {@link #clearRequests()}, in arrival order (a
     *     copy; requests made concurrently appear in the order the server took them)
     */
    public List<S3Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests recorded so far. */
    public void clearRequests() {
        requests.clear();
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
