package io.github.knthumbnails.local.broker;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.github.knthumbnails.events.RequestLimits;
import io.github.knthumbnails.local.QueueFiles;

/**
 * A local stand-in for a Knative Broker with one Trigger, between the minio-source ({@code K_SINK} =
 * {@link #uri()}) and the Trigger's subscriber (the resize function): its ingress answers {@code 202} as soon
 * as an event is on disk, and its dispatcher delivers with the Trigger's filters, retries, backoff, timeout and
 * dead-letter sink, read from the same {@code eventing/trigger-resize.yaml} a cluster applies.
 *
 * <p>Use:
 * <pre>{@code
 * LocalBroker broker = LocalBroker.start(LocalBroker.Config.of(dataDir,
 *         LocalBroker.Config.defaultTrigger(functionsDir),
 *         Map.of("resize", resizeUrl, "status-dead-letter", statusUrl)));
 * env.put("K_SINK", broker.uri().toString());   // the minio-source's sink
 * ...
 * broker.awaitDrained(Duration.ofSeconds(30));
 * broker.close();                                // undelivered events stay on disk
 * }</pre>
 *
 * <p>Semantics, and where they come from:
 * <ul>
 *   <li>ingress ({@link Ingress}): {@code POST /}, binary or structured CloudEvent, {@code 202} once stored
 *       durably (or dropped by the filter), {@code 400}/{@code 413}/{@code 404}/{@code 405}/{@code 503};</li>
 *   <li>filters ({@link EventFilter}): Knative's dialects exact, prefix, suffix, all, any, not and the legacy
 *       attributes; {@code cesql} is a start-up error;</li>
 *   <li>delivery ({@link Dispatcher}, {@link DeliverySpec}): binary mode, with the {@code traceparent},
 *       {@code tracestate} and {@code baggage} headers the event came in with ({@link TraceHeaders}), at most
 *       {@code concurrency} requests in flight, no ordering, Knative's retryable statuses and backoff, then the
 *       dead-letter sink with {@code knativeerrordest}/{@code knativeerrorcode}/{@code knativeerrordata}
 *       ({@link DeadLetter});</li>
 *   <li>durability ({@link EventFiles}): every accepted event stays in {@code <dataDir>/broker/} until a 2xx from
 *       the subscriber or the dead-letter sink; a Broker started on the same directory delivers what is left
 *       (at least once). Events no destination takes are kept in {@code <dataDir>/broker/refused/}.</li>
 * </ul>
 * Differences from a cluster: one Trigger; a reply event in a subscriber's 2xx answer is not published back; the
 * Broker's own {@code delivery} defaults, {@code retryAfterMax} and {@code format} are not read. Thread-safe.
 */
public final class LocalBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());

    /**
     * Settings of a Broker.
     *
     * @param dataDir                 the stack's data directory; events are stored in its {@code broker/}
     *                                subdirectory (created if missing)
     * @param triggerFile             the Trigger's YAML file
     * @param services                Knative Service name (a Destination's {@code ref.name}) to its local base URL,
     *                                e.g. {@code resize} to {@code http://127.0.0.1:8081/}
     * @param concurrency             the most requests in flight to the subscriber and dead-letter sink together,
     *                                {@code >= 1}; default the number of processors
     * @param port                    the ingress port on 127.0.0.1, 0 for any free one
     * @param maxBodyBytes            the largest event accepted, in bytes; default
     *                                {@link RequestLimits#DEFAULT_MAX_BODY_BYTES} (1 MiB), as the functions
     * @param deadLetterRetryInterval how long a dead letter waits before it is sent again when the sink did not
     *                                take it after its retries; default 10 s
     */
    public record Config(Path dataDir, Path triggerFile, Map<String, URI> services, int concurrency, int port,
                         long maxBodyBytes, Duration deadLetterRetryInterval) {

        /**
         * @throws NullPointerException     if a path, the map or the interval is null
         * @throws IllegalArgumentException if concurrency is below 1, the port is out of range, the size limit
         *                                  is outside {@link RequestLimits}' range, or the interval is under 1 ms
         */
        public Config {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(triggerFile, "triggerFile");
            services = Map.copyOf(services);
            Objects.requireNonNull(deadLetterRetryInterval, "deadLetterRetryInterval");
            if (concurrency < 1 || port < 0 || port > 65535 || deadLetterRetryInterval.toMillis() < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, port 0..65535 and"
                        + " deadLetterRetryInterval >= 1 ms; were " + concurrency + ", " + port + ", "
                        + deadLetterRetryInterval);
            }
            new RequestLimits(maxBodyBytes); // validates
        }

        /**
         * Settings with the defaults: concurrency = processors, any port, 1 MiB, 10 s.
         *
         * @param dataDir     see {@link Config}
         * @param triggerFile see {@link Config}
         * @param services    see {@link Config}
         * @return the settings
         */
        public static Config of(Path dataDir, Path triggerFile, Map<String, URI> services) {
            return new Config(dataDir, triggerFile, services, Runtime.getRuntime().availableProcessors(), 0,
                    RequestLimits.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(10));
        }

        /**
         * @param functionsDir the repository's {@code functions/} folder
         * @return the repository's {@code eventing/trigger-resize.yaml}
         */
        public static Path defaultTrigger(Path functionsDir) {
            return functionsDir.toAbsolutePath().normalize().resolveSibling("eventing").resolve("trigger-resize.yaml");
        }

        /**
         * @param concurrency see {@link Config}
         * @return a copy with that concurrency
         */
        public Config withConcurrency(int concurrency) {
            return new Config(dataDir, triggerFile, services, concurrency, port, maxBodyBytes, deadLetterRetryInterval);
        }

        /**
         * @param port see {@link Config}
         * @return a copy with that port
         */
        public Config withPort(int port) {
            return new Config(dataDir, triggerFile, services, concurrency, port, maxBodyBytes, deadLetterRetryInterval);
        }

        /**
         * @param interval see {@link Config}
         * @return a copy with that dead-letter retry interval
         */
        public Config withDeadLetterRetryInterval(Duration interval) {
            return new Config(dataDir, triggerFile, services, concurrency, port, maxBodyBytes, interval);
        }
    }

    /**
     * What became of the events since the start.
     *
     * @param delivered    answered 2xx by the subscriber
     * @param deadLettered answered 2xx by the dead-letter sink
     * @param filteredOut  accepted and dropped by the Trigger's filter (never stored)
     * @param refused      moved to {@code <dataDir>/broker/refused/}: no dead-letter sink, or it refused them
     */
    public record Counts(long delivered, long deadLettered, long filteredOut, long refused) {
    }

    private final EventFiles files;
    private final Dispatcher dispatcher;
    private final Ingress ingress;
    private final String triggerName;
    private final int concurrency;
    private volatile boolean closed;

    private LocalBroker(EventFiles files, Dispatcher dispatcher, Ingress ingress, String triggerName,
                        int concurrency) {
        this.files = files;
        this.dispatcher = dispatcher;
        this.ingress = ingress;
        this.triggerName = triggerName;
        this.concurrency = concurrency;
    }

    /**
     * Reads the Trigger, opens {@code <dataDir>/broker/}, starts delivering the events left there and opens the
     * ingress.
     *
     * @param config settings
     * @return the running Broker; {@link #close()} it
     * @throws IOException              if the Trigger file cannot be read, the directory cannot be used or the
     *                                  port cannot be bound
     * @throws IllegalArgumentException naming the file and field, if the Trigger uses what this Broker does not
     *                                  support ({@code cesql}, an unknown dialect or delivery field) or names a
     *                                  service that is not in {@link Config#services()}
     * @throws IllegalStateException    if another Broker uses the same directory
     */
    public static LocalBroker start(Config config) throws IOException {
        return start(config, QueueFiles.FSYNC);
    }

    static LocalBroker start(Config config, QueueFiles.DirectorySync directorySync) throws IOException {
        TriggerSpec trigger = TriggerSpec.read(config.triggerFile(), config.services());
        EventFiles files = EventFiles.open(config.dataDir().resolve("broker"), directorySync);
        Dispatcher dispatcher = new Dispatcher(trigger, files, config.concurrency(),
                config.deadLetterRetryInterval());
        try {
            int replayed = files.replay((file, stored) ->
                    dispatcher.submit(file, stored.event(), stored.headers()));
            if (replayed > 0) {
                LOG.log(System.Logger.Level.INFO, "Replaying " + replayed + " stored event(s) from " + files.dir());
            }
            Ingress ingress = Ingress.start(config.port(), trigger.filter(), files, dispatcher, config.maxBodyBytes());
            LOG.log(System.Logger.Level.INFO, "Broker at " + ingress.uri() + " delivers Trigger " + trigger.name()
                    + " to " + trigger.subscriber() + " (" + config.concurrency() + " in flight, retry "
                    + trigger.delivery().retry() + ", dead letters to " + trigger.delivery().deadLetterSink() + ")");
            return new LocalBroker(files, dispatcher, ingress, trigger.name(), config.concurrency());
        } catch (IOException | RuntimeException e) {
            dispatcher.stop();
            files.close();
            throw e;
        }
    }

    /** @return the ingress URL, e.g. {@code http://127.0.0.1:40123/}: what {@code K_SINK} is set to */
    public URI uri() {
        return ingress.uri();
    }

    /** @return the Trigger's {@code metadata.name}, e.g. {@code resize-on-upload} */
    public String triggerName() {
        return triggerName;
    }

    /** @return the most requests in flight to the subscriber and dead-letter sink together */
    public int concurrency() {
        return concurrency;
    }

    /** @return events stored and not yet delivered, dead-lettered or moved aside (those in flight included) */
    public int pendingCount() {
        return dispatcher.pendingCount();
    }

    /**
     * Waits until every event stored so far (and replayed at the start) is delivered, dead-lettered or moved aside.
     *
     * @param timeout the longest wait
     * @return {@code true} if nothing is pending, {@code false} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        return dispatcher.awaitDrained(timeout);
    }

    /** @return the counts since the start */
    public Counts counts() {
        return new Counts(dispatcher.delivered(), dispatcher.deadLettered(), ingress.filteredOut(),
                dispatcher.refused());
    }

    /**
     * Stops the ingress, abandons the attempts in flight (their events stay on disk for the next start) and
     * releases the directory lock, within about 5 s. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ingress.close();
        dispatcher.stop();
        try {
            files.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not release the lock on " + files.dir(), e);
        }
    }
}
