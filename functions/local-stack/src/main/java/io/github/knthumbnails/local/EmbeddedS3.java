package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.github.knthumbnails.events.Buckets;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3 server on {@code 127.0.0.1} that sends MinIO-format bucket notifications: S3Proxy 4.1.0 with its
 * filesystem back end, wrapped so that every successful object write or delete in a watched bucket is handed to
 * a {@link WebhookNotifier} as a MinIO webhook body.
 *
 * <p>What a client sees: AWS signature v2 and v4 with one access key / secret key pair, path-style URLs, the
 * buckets of {@link Config#buckets()} (created at start if missing), browser form uploads (POST Object with a SigV4
 * POST policy, which S3Proxy checks: signature, expiry, every condition, {@code content-length-range}) and CORS for
 * any origin ({@link #CORS}). Objects live under {@code <dataDir>/s3} and
 * survive a restart. What the webhook receiver sees: exactly what MinIO with {@code mc event add ALIAS/BUCKET ARN
 * --event put,delete} on each bucket of {@link Config#notifyBuckets()} would send (shape in
 * {@code shared/docs/contracts.md} §3.4): {@code s3:ObjectCreated:Put}, {@code :Post}, {@code :Copy},
 * {@code :CompleteMultipartUpload} and {@code s3:ObjectRemoved:Delete}, one record per POST.
 *
 * <p>S3Proxy limits worth knowing: object tagging answers 501; user-metadata keys come back lower-cased; bucket
 * names need at least 3 characters; no versioning. Reads of a key wait while that key is being written
 * ({@link PerKeyLockingBlobStore}), so a HEAD never mixes two versions' metadata.
 *
 * <pre>{@code
 * try (WebhookNotifier notifier = WebhookNotifier.start(WebhookNotifier.Config.of(dataDir, sourceUrl, null));
 *      EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Config.of(dataDir, 9000,
 *              Set.of("images", "thumbnails"), Set.of("images")), notifier)) {
 *     System.out.println("S3 at " + s3.endpoint());
 * }
 * }</pre>
 */
public final class EmbeddedS3 implements AutoCloseable {

    /** MinIO's default root user, used by {@link Config#of}. */
    public static final String DEFAULT_ACCESS_KEY = "minioadmin";
    /** MinIO's default root password, used by {@link Config#of}. */
    public static final String DEFAULT_SECRET_KEY = "minioadmin";

    private static final String HOST = MinioEvents.LOOPBACK;
    /** How long {@link #close()} lets requests in flight finish (S3Proxy's default is 30 s). */
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    private static final System.Logger LOG = System.getLogger(EmbeddedS3.class.getName());
    /**
     * Cross-origin requests from any page, as MinIO allows by default ({@code MINIO_API_CORS_ALLOW_ORIGIN} is
     * {@code *}): the status page (another port, so another origin) uploads with the signed forms of
     * {@code POST /uploads} straight to this server (issue 12) and reads the answer, an error's included. Methods
     * GET, HEAD, PUT and POST, any request header, and {@code ETag} readable by the page; no credentials (cookies):
     * S3 requests carry their own signatures. S3Proxy answers no CORS headers at all without this.
     */
    static final CrossOriginResourceSharing CORS = new CrossOriginResourceSharing(List.of("*"),
            List.of("GET", "HEAD", "PUT", "POST"), List.of("*"), List.of("ETag"), "false");

    /**
     * Settings of the server.
     *
     * @param dataDir       the stack's data directory; objects go to {@code <dataDir>/s3}, the deployment id to
     *                      {@code <dataDir>/deployment-id} (both created if missing)
     * @param port          TCP port on {@code 127.0.0.1}, 0 to let the system pick a free one, at most 65535
     * @param accessKey     the only accepted access key; also the {@code principalId} in event records
     * @param secretKey     its secret key
     * @param buckets       buckets to create if missing; S3 names (3-63 characters of {@code a-z 0-9 . -})
     * @param notifyBuckets buckets whose object events are sent; each must be in {@code buckets}; may be empty
     */
    public record Config(Path dataDir, int port, String accessKey, String secretKey, Set<String> buckets,
                         Set<String> notifyBuckets) {

        /**
         * Validates the settings and copies the sets (immutable, no nulls).
         *
         * @param dataDir       see {@link Config}
         * @param port          see {@link Config}
         * @param accessKey     see {@link Config}
         * @param secretKey     see {@link Config}
         * @param buckets       see {@link Config}
         * @param notifyBuckets see {@link Config}
         * @throws NullPointerException     if an argument or set element is null
         * @throws IllegalArgumentException if the port is outside 0-65535, a key is blank, a bucket name is not a
         *                                  valid S3 bucket name, or a notify bucket is not among {@code buckets}
         */
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(accessKey, "accessKey");
            Objects.requireNonNull(secretKey, "secretKey");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (any free port) to 65535, was: " + port);
            }
            if (accessKey.isBlank() || secretKey.isBlank()) {
                throw new IllegalArgumentException("accessKey and secretKey must not be blank");
            }
            buckets = Set.copyOf(new LinkedHashSet<>(buckets));
            notifyBuckets = Set.copyOf(new LinkedHashSet<>(notifyBuckets));
            for (String bucket : buckets) {
                if (!Buckets.isValidName(bucket)) {
                    throw new IllegalArgumentException("bucket name '" + bucket + "' is not a valid S3 bucket name:"
                            + " 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit");
                }
            }
            if (!buckets.containsAll(notifyBuckets)) {
                throw new IllegalArgumentException("notifyBuckets " + notifyBuckets + " must all be among buckets "
                        + buckets);
            }
        }

        /**
         * Settings with MinIO's default credentials ({@value EmbeddedS3#DEFAULT_ACCESS_KEY} /
         * {@value EmbeddedS3#DEFAULT_SECRET_KEY}).
         *
         * @param dataDir       see {@link Config}
         * @param port          see {@link Config}
         * @param buckets       see {@link Config}
         * @param notifyBuckets see {@link Config}
         * @return the settings
         */
        public static Config of(Path dataDir, int port, Set<String> buckets, Set<String> notifyBuckets) {
            return new Config(dataDir, port, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, buckets, notifyBuckets);
        }
    }

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final URI endpoint;
    private final String deploymentId;
    private boolean closed;

    private EmbeddedS3(S3Proxy proxy, BlobStore blobStore, URI endpoint, String deploymentId) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.endpoint = endpoint;
        this.deploymentId = deploymentId;
    }

    /**
     * Creates the data directories and missing buckets, then starts the server. Returns once it accepts
     * connections.
     *
     * @param config   settings
     * @param notifier where events of {@link Config#notifyBuckets()} go; it must be running and must stay
     *                 open until this server is closed (close the server first)
     * @return the running server; {@link #close()} it
     * @throws IOException if a directory or the deployment-id file cannot be created or read, or the port
     *                     cannot be bound (e.g. it is in use)
     */
    public static EmbeddedS3 start(Config config, WebhookNotifier notifier) throws IOException {
        Objects.requireNonNull(notifier, "notifier");
        Path root = config.dataDir().resolve("s3");
        Files.createDirectories(root);
        String deploymentId = deploymentId(config.dataDir());

        // MinIO answers every read with one version of an object; S3Proxy's filesystem back end needs help.
        BlobStore backend = new PerKeyLockingBlobStore(new FilesystemNio2BlobStore(root.toString()));
        for (String bucket : config.buckets()) {
            if (!backend.containerExists(bucket)) {
                backend.createContainer(bucket);
            }
        }
        NotifyingBlobStore notifying = new NotifyingBlobStore(backend, config.notifyBuckets(), notifier,
                new MinioEvents(config.accessKey(), deploymentId, null));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(notifying)
                .endpoint(URI.create("http://" + HOST + ":" + config.port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, config.accessKey(), config.secretKey())
                .corsRules(CORS)
                .stopTimeout(STOP_TIMEOUT_MILLIS)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            stopQuietly(proxy);
            notifying.close();
            if (e instanceof IOException io) {
                throw new IOException("cannot start S3 on " + HOST + ":" + config.port() + ": " + io.getMessage(), io);
            }
            throw new IOException("cannot start S3 on " + HOST + ":" + config.port(), e);
        }
        URI endpoint = URI.create("http://" + HOST + ":" + proxy.getPort());
        notifying.events(new MinioEvents(config.accessKey(), deploymentId, endpoint));
        LOG.log(System.Logger.Level.INFO, "S3 at " + endpoint + " storing in " + root + "; notifying for "
                + config.notifyBuckets());
        return new EmbeddedS3(proxy, notifying, endpoint, deploymentId);
    }

    /** Reads {@code <dataDir>/deployment-id}, or creates it with a new random UUID. */
    private static String deploymentId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("deployment-id");
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            try {
                return UUID.fromString(id).toString();
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " does not hold a UUID: '" + id + "'", e);
            }
        }
        String id = UUID.randomUUID().toString();
        Path temp = dataDir.resolve("deployment-id.tmp");
        Files.writeString(temp, id + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return id;
    }

    /**
     * The TCP port the server listens on (the chosen one when the configured port was 0).
     *
     * @return a port number, 1-65535
     */
    public int port() {
        return endpoint.getPort();
    }

    /**
     * The base URL for S3 clients, also sent as {@code x-minio-origin-endpoint} in event records.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The {@code x-minio-deployment-id} of event records: a UUID kept in {@code <dataDir>/deployment-id}, so the
     * same across restarts on one data directory.
     *
     * @return the UUID in its canonical lower-case form
     */
    public String deploymentId() {
        return deploymentId;
    }

    /**
     * Stops accepting requests, waits up to 5 s for requests in flight (and for clients' idle keep-alive
     * connections, so close in-process clients first for a quick stop), and releases the back end. Events of
     * finished requests are already queued in the notifier, which this does not close. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopQuietly(proxy);
        blobStore.close();
    }

    private static void stopQuietly(S3Proxy proxy) {
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Error while stopping S3Proxy", e);
        }
    }
}
