package io.github.knthumbnails.testsupport;

import java.net.URI;

import org.gaul.s3proxy.junit.S3ProxyJunitCore;

/**
 * A real S3 server (S3Proxy, filesystem back end in a temporary folder) on a free local port, started once per
 * test class whose Spring context needs a fixed endpoint. Credentials are {@code minioadmin}/{@code minioadmin}.
 * Modules using it declare {@code org.gaul:s3proxy} with test scope.
 */
public final class S3TestServer implements AutoCloseable {

    /** Access and secret key of the server. */
    public static final String CREDENTIAL = "minioadmin";

    private final S3ProxyJunitCore core;

    /**
     * Starts the server.
     *
     * @throws IllegalStateException if it cannot start
     */
    public S3TestServer() {
        core = new S3ProxyJunitCore.Builder().withCredentials(CREDENTIAL, CREDENTIAL).build();
        try {
            core.beforeEach();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /** @return the S3 endpoint, e.g. {@code http://127.0.0.1:40123} */
    public URI endpoint() {
        return core.getUri();
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        core.afterEach();
    }
}
