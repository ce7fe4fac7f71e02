package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

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
 * Failed attempts are logged through {@link System.Logger} (WARNING), at most one line per
 * {@value #FAILURE_LOG_INTERVAL_SECONDS} s, and recovery once (INFO).
 *
 * <p>Files are named {@code <20-digit sequence number>.json}, written as {@code .tmp}, fsynced, renamed, and the
 * directory fsynced ({@link QueueFiles}), so a name sorts in emission order, a half-written file is never
 * delivered, and a queued event survives a power cut. One notifier at a time may use a
 * directory (a lock file enforces it). Thread-safe.
 */
public final class WebhookNotifier implements AutoCloseable {

    /** MinIO's default auth scheme for a one-word {@code auth_token}. */
    private static final long FAILURE_LOG_INTERVAL_SECONDS = 5;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern QUEUED_FILE = Pattern.compile("(\\d{20})\\.json");
    private static final String TEMP_SUFFIX = ".tmp";
    /** How much of a refusing answer is logged. */
    private static final int BODY_START_BYTES = 300;
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

    private final Config config;
    private final Path queueDir;
    private final String authorization;
    private final HttpClient http;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final QueueFiles files;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();

    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition queueChanged = queueLock.newCondition();
    private final ArrayDeque<Path> queue = new ArrayDeque<>();
    private long nextSequence;
    private volatile boolean closed;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread sender;

    private long failedAttempts;
    private long failuresSinceLastLog;
    private long lastFailureLogNanos;

    private WebhookNotifier(Config config, FileChannel lockChannel, FileLock lock, List<Path> queued, long next,
                            QueueFiles files) {
        this.config = config;
        this.files = files;
        this.queueDir = queueDir(config.dataDir());
        this.authorization = MinioWebhookAuth.authorizationHeader(config.authToken());
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.queue.addAll(queued);
        this.nextSequence = next;
        // MinIO's webhook transport disables HTTP/2 (cmd/utils.go NewHTTPTransport); dial timeout 5 s.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.sender = new Thread(this::deliverLoop, "webhook-notifier-" + config.endpoint().getAuthority());
        this.sender.setDaemon(true);
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
        Path dir = queueDir(config.dataDir());
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("another WebhookNotifier is using the event queue " + dir);
        }
        List<Path> queued = new ArrayList<>();
        long next = 1;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                var matcher = QUEUED_FILE.matcher(name);
                if (matcher.matches()) {
                    queued.add(entry);
                    next = Math.max(next, Long.parseLong(matcher.group(1)) + 1);
                } else if (name.endsWith(TEMP_SUFFIX)) {
                    // A write cut short by a crash: never renamed, so never acknowledged as queued.
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        Collections.sort(queued);
        WebhookNotifier notifier = new WebhookNotifier(config, lockChannel, lock, queued, next,
                new QueueFiles(directorySync));
        if (!queued.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Replaying " + queued.size() + " queued event(s) from " + dir
                    + " to " + config.endpoint());
        }
        notifier.sender.start();
        return notifier;
    }

    private static Path queueDir(Path dataDir) {
        return dataDir.resolve("events");
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
        Objects.requireNonNull(body, "body");
        queueLock.lock();
        try {
            // Written under the lock so that file names, visibility and the in-memory queue share one order.
            Path target = queueDir.resolve(String.format(Locale.ROOT, "%020d.json", nextSequence));
            Path temp = queueDir.resolve(target.getFileName() + TEMP_SUFFIX);
            nextSequence++;
            try {
                files.writeDurably(temp, target, body);
            } catch (IOException e) {
                // Not durably queued (the sync may have failed after the rename): not queued at all, so the
                // caller's failure and a retry of the upload never leave a second copy behind.
                try {
                    Files.deleteIfExists(target);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            queue.addLast(target);
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * The number of events the receiver refused with a final 4xx since this notifier started; each was moved to
     * {@code <dataDir>/events/refused/}.
     *
     * @return the count
     */
    public long refusedCount() {
        return refused.get();
    }

    /**
     * The number of events queued and not yet acknowledged with a 2xx (the one being sent included).
     *
     * @return 0 when everything submitted so far has been delivered
     */
    public int pendingCount() {
        queueLock.lock();
        try {
            return queue.size();
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Waits until every event submitted so far has been delivered, or the timeout passes.
     *
     * @param timeout the longest time to wait
     * @return {@code true} if the queue is empty, {@code false} on timeout
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        queueLock.lock();
        try {
            while (!queue.isEmpty()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = queueChanged.awaitNanos(remaining);
            }
            return true;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * The directory events are queued in: {@code <dataDir>/events}.
     *
     * @return the queue directory
     */
    public Path queueDir() {
        return queueDir;
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
        closing.countDown();
        queueLock.lock();
        try {
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
        sender.interrupt();
        try {
            sender.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not release the lock on " + queueDir, e);
        }
    }

    private void deliverLoop() {
        while (!closed) {
            Path head = nextQueued();
            if (head == null) {
                return;
            }
            String failure = deliver(head);
            if (failure == null) {
                continue;
            }
            reportFailure(failure);
            try {
                if (closing.await(config.retryInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Blocks until the queue has a head or the notifier closes ({@code null}). */
    private Path nextQueued() {
        queueLock.lock();
        try {
            while (queue.isEmpty() && !closed) {
                queueChanged.await();
            }
            return closed ? null : queue.peekFirst();
        } catch (InterruptedException e) {
            return null;
        } finally {
            queueLock.unlock();
        }
    }

    /** Sends one queued file; {@code null} when it was delivered (and removed), else why it failed. */
    private String deliver(Path file) {
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            LOG.log(System.Logger.Level.WARNING, "Queued event " + file + " disappeared before delivery; skipping");
            dequeue(file);
            return null;
        } catch (IOException e) {
            return "cannot read " + file + ": " + e;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(config.endpoint())
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        int status;
        String answer;
        try {
            HttpResponse<java.io.InputStream> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (java.io.InputStream in = response.body()) {
                answer = new String(in.readNBytes(BODY_START_BYTES), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (isFinalRefusal(status)) {
            return refuse(file, status, answer);
        }
        if (status < 200 || status > 299) {
            return "HTTP " + status;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Delivered " + file + " but could not delete it; it will be sent"
                    + " again after a restart", e);
        }
        dequeue(file);
        if (failedAttempts > 0) {
            LOG.log(System.Logger.Level.INFO, "Webhook delivery to " + config.endpoint() + " recovered after "
                    + failedAttempts + " failed attempt(s)");
            failedAttempts = 0;
            failuresSinceLastLog = 0;
        }
        return null;
    }

    /** A 4xx says the event itself is wrong, except 408 (timeout) and 429 (overload), which are transient. */
    private static boolean isFinalRefusal(int status) {
        return status >= 400 && status <= 499 && status != 408 && status != 429;
    }

    /** Moves a refused event aside; {@code null} when done, else why it could not be moved (it is retried). */
    private String refuse(Path file, int status, String answer) {
        Path moved;
        try {
            moved = files.moveInto(file, queueDir.resolve("refused"));
        } catch (IOException e) {
            return "HTTP " + status + " (refused) and the event could not be moved aside: " + e;
        }
        dequeue(file);
        long count = refused.incrementAndGet();
        LOG.log(System.Logger.Level.WARNING, "Webhook endpoint " + config.endpoint() + " refused a queued event with"
                + " HTTP " + status + (status == 401 || status == 403 ? " (check the auth token)" : "")
                + ": \"" + answer.strip() + "\"; moved it to " + moved + ", it will not be retried (" + count
                + " refused since start; move the file back into " + queueDir + " to replay it)");
        return null;
    }

    private void dequeue(Path file) {
        queueLock.lock();
        try {
            queue.remove(file);
            queueChanged.signalAll();
        } finally {
            queueLock.unlock();
        }
    }

    private void reportFailure(String failure) {
        if (closed) {
            return;
        }
        failedAttempts++;
        failuresSinceLastLog++;
        long now = System.nanoTime();
        if (failedAttempts == 1
                || now - lastFailureLogNanos >= TimeUnit.SECONDS.toNanos(FAILURE_LOG_INTERVAL_SECONDS)) {
            LOG.log(System.Logger.Level.WARNING, "Webhook delivery to " + config.endpoint() + " failed: " + failure
                    + "; " + pendingCount() + " event(s) queued in " + queueDir + ", retrying every "
                    + config.retryInterval().toMillis() + " ms (" + failuresSinceLastLog
                    + " failed attempt(s) since the last report)");
            lastFailureLogNanos = now;
            failuresSinceLastLog = 0;
        }
    }
}
