package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import io.github.knthumbnails.events.MinioWebhookAuth;

/**
 * A MinIO-style webhook target with a persistent queue: every body handed to {@link #submit(byte[])} is first
 * written to {@code <dataDir>/events/}, then one background thread POSTs the queued bodies to the endpoint
 * strictly in submission order and deletes each file only after a 2xx answer.
 *
 * <p>Behaviour copied from minio/minio {@code internal/event/target/webhook.go} with {@code queue_dir} set
 * ({@code internal/store/store.go}, {@code queuestore.go}):
 * <ul>
 *   <li>{@code POST <endpoint>}, {@code Content-Type: application/json}, HTTP/1.1, and
 *       {@code Authorization: Bearer <token>} for a one-word token or the token verbatim for a two-word one
 *       ({@code "Basic dXNlcjpwdw=="});</li>
 *   <li>any 2xx is success; a 5xx, 408, 429 or a network error keeps the event and retries it after the retry
 *       interval, forever; the head of the queue blocks the rest (MinIO retries every 3 s; the default here is
 *       1 s). Delivery is at least once: a crash between the 2xx and the file deletion sends that event again;</li>
 *   <li>unlike MinIO, any other 4xx is final (issue 8, finding 11): the receiver says the event itself is wrong,
 *       and retrying it would block every later event for ever. The file is moved to
 *       {@code <dataDir>/events/refused/} (kept for inspection; move it back to replay it), logged at WARNING
 *       with the status and the start of the answer, and counted ({@link #refusedCount()});</li>
 *   <li>events already in the directory when the notifier starts are replayed first, so nothing emitted while the
 *       receiver or the whole stack was down is lost.</li>
 * </ul>
 * Failed attempts are logged through {@link System.Logger} (WARNING), at most one line per 5 s, and recovery
 * once (INFO).
 *
 * <p>Files are named {@code <20-digit sequence number>.json}, written as {@code .tmp}, fsynced, renamed, and the
 * directory fsynced, so a name sorts in emission order, a half-written file is never delivered, and a queued
 * event survives a power cut. One notifier at a time may use a directory (a lock file enforces it). Thread-safe.
 *
 * <p>This class is the entry point and owns the lifecycle; the work is done by {@code QueueFiles} (the
 * directory), {@code WebhookPost} (one POST and what its answer means) and {@code DeliveryLoop} (the order,
 * the retries and the logs).
 */
public final class WebhookNotifier implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebhookNotifier.class.getName());

    /**
     * Settings of a notifier.
     *
     * @param dataDir        the stack's data directory; events are queued in its {@code events/} subdirectory
     *                       (created if missing)
     * @param endpoint       absolute {@code http} or {@code https} URL to POST to (MinIO's {@code endpoint})
     * @param authToken      MinIO's {@code auth_token}: {@code null} or blank for no {@code Authorization}
     *                       header, one word to send {@code Bearer <token>}, two words (e.g.
     *                       {@code "Basic dXNlcjpwdw=="}) to send it verbatim
     * @param retryInterval  wait after a failed attempt before trying the same event again; at least 1 ms
     * @param requestTimeout how long one POST may take until the response headers arrive; at least 1 ms (MinIO's
     *                       {@code ResponseHeaderTimeout} is 1 minute, {@code cmd/utils.go})
     */
    public record Config(Path dataDir, URI endpoint, String authToken, Duration retryInterval,
                         Duration requestTimeout) {

        /** Default wait between attempts: 1 s (MinIO: 3 s, {@code internal/store/store.go} retryInterval). */
        public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);
        /** Default request timeout: 60 s, MinIO's response-header timeout. */
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

        /**
         * Validates the settings.
         *
         * @param dataDir        see {@link Config}
         * @param endpoint       see {@link Config}
         * @param authToken      see {@link Config}
         * @param retryInterval  see {@link Config}
         * @param requestTimeout see {@link Config}
         * @throws NullPointerException     if {@code dataDir}, {@code endpoint}, {@code retryInterval} or
         *                                  {@code requestTimeout} is null
         * @throws IllegalArgumentException if the endpoint is not an absolute http(s) URL, a duration is shorter
         *                                  than 1 ms, or the token has more than two words (MinIO would then
         *                                  silently send no {@code Authorization} header at all)
         */
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(retryInterval, "retryInterval");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("endpoint must be an absolute http(s) URL, was: " + endpoint);
            }
            if (retryInterval.toMillis() < 1 || requestTimeout.toMillis() < 1) {
                throw new IllegalArgumentException("retryInterval and requestTimeout must be at least 1 ms, were: "
                        + retryInterval + ", " + requestTimeout);
            }
            MinioWebhookAuth.authorizationHeader(authToken); // rejects a token MinIO would not send
        }

        /**
         * Settings with the default retry interval (1 s) and request timeout (60 s).
         *
         * @param dataDir   see {@link Config}
         * @param endpoint  see {@link Config}
         * @param authToken see {@link Config}; may be {@code null}
         * @return the settings
         */
        public static Config of(Path dataDir, URI endpoint, String authToken) {
            return new Config(dataDir, endpoint, authToken, DEFAULT_RETRY_INTERVAL, DEFAULT_REQUEST_TIMEOUT);
        }

    }

    private final QueueFiles files;
    private final DeliveryLoop delivery;
    private volatile boolean closed;

    private WebhookNotifier(QueueFiles files, DeliveryLoop delivery) {
        this.files = files;
        this.delivery = delivery;
    }

    /**
     * Opens the queue directory, takes over the events already queued there and starts the delivery thread.
     *
     * @param config settings
     * @return the running notifier; {@link #close()} it
     * @throws IOException           if the queue directory cannot be created, listed or locked
     * @throws IllegalStateException if another notifier (in this or another process) uses the same directory
     */
    public static WebhookNotifier start(Config config) throws IOException {
        return start(config, QueueFiles.FSYNC);
    }

    /**
     * As {@link #start(Config)}, with the directory sync replaced (for tests).
     *
     * @param config        settings
     * @param directorySync how the queue directory is made durable after a rename
     * @return the running notifier
     * @throws IOException as {@link #start(Config)}
     */
    static WebhookNotifier start(Config config, QueueFiles.DirectorySync directorySync) throws IOException {
        QueueFiles files = QueueFiles.open(config.dataDir().resolve("events"), directorySync);
        WebhookPost post = new WebhookPost(config.endpoint(), config.authToken(), config.requestTimeout());
        DeliveryLoop delivery = new DeliveryLoop(files, post, config.endpoint(), config.retryInterval());
        if (!files.found().isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Replaying " + files.found().size() + " queued event(s) from "
                    + files.dir() + " to " + config.endpoint());
        }
        delivery.start();
        return new WebhookNotifier(files, delivery);
    }

    /**
     * Queues one webhook body: writes it durably to the queue directory, then wakes the delivery thread. Returns
     * before delivery. After {@link #close()} the body is still written, and delivered by the next notifier
     * started on the same directory.
     *
     * @param body the complete POST body (for MinIO events a {@code {"EventName", "Key", "Records"}} JSON object)
     * @throws IOException          if the file cannot be written, renamed or synced; the event is then not queued
     * @throws NullPointerException if {@code body} is null
     */
    public void submit(byte[] body) throws IOException {
        delivery.submit(Objects.requireNonNull(body, "body"));
    }

    /**
     * The number of events the receiver refused with a final 4xx since this notifier started; each was moved to
     * {@code <dataDir>/events/refused/}.
     *
     * @return the count
     */
    public long refusedCount() {
        return delivery.refusedCount();
    }

    /**
     * The number of events queued and not yet acknowledged with a 2xx (the one being sent included).
     *
     * @return 0 when everything submitted so far has been delivered
     */
    public int pendingCount() {
        return delivery.pendingCount();
    }

    /**
     * Waits until every event submitted so far has been delivered, or the timeout passes.
     *
     * @param timeout the longest time to wait
     * @return {@code true} if the queue is empty, {@code false} on timeout
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return delivery.awaitDrained(timeout);
    }

    /**
     * The directory events are queued in: {@code <dataDir>/events}.
     *
     * @return the queue directory
     */
    public Path queueDir() {
        return files.dir();
    }

    /**
     * Stops the delivery thread (aborting a POST in flight) within a few seconds and releases the directory lock.
     * Undelivered events stay on disk for the next start. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        delivery.stop();
        try {
            files.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not release the lock on " + files.dir(), e);
        }
    }
}
