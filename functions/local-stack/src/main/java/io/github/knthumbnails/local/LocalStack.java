package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.local.broker.LocalBroker;

/**
 * The whole pipeline on one machine: the {@link EmbeddedS3} server with its {@link WebhookNotifier}, a
 * {@link LocalBroker} with the repository's {@code eventing/trigger-resize.yaml}, and the three functions as child
 * processes ({@code java -jar <function>.jar}) wired the way Knative wires them — each gets {@code PORT}, the
 * minio-source gets {@code K_SINK} pointing at the Broker, whose Trigger delivers to resize and dead-letters to the
 * status function's {@code /dead-letter}; all get the same {@code MINIO_*} and bucket variables. Only the S3 server
 * and the Broker are stand-ins; the functions run the same jars a cluster runs. Once all are ready, a
 * {@link Supervisor} restarts a function that exits or fails its liveness probe, with backoff, as kubelet restarts a
 * pod's container.
 *
 * <p>With {@link Config#externalS3()} set, no S3 server is started: the functions use that endpoint and the
 * user points MinIO's webhook at the minio-source.
 */
public final class LocalStack implements AutoCloseable {

    /** The functions, in start order; each is {@code <functionsDir>/<name>/target/<name>.jar}. */
    public static final List<String> FUNCTIONS = List.of("minio-source", "resize", "status");

    /** How long functions may take to stop after SIGTERM (requests in flight finish) before SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    /**
     * Settings of the stack.
     *
     * @param dataDir      where objects and queued webhook events live (created if missing); survives restarts
     * @param functionsDir the repository's {@code functions/} folder, holding the built jars
     * @param s3Port       port of the S3 server, 0 for any free port
     * @param ports        port per function name ({@link #FUNCTIONS}) and for {@code broker} (its ingress), 0 or
     *                     absent for any free port
     * @param accessKey    the S3 access key (server and functions)
     * @param secretKey    the S3 secret key
     * @param buckets      upload buckets and the thumbnails bucket; all are created if missing
     * @param webhookToken the bearer token the notifier sends and the minio-source requires
     * @param externalS3   an S3/MinIO endpoint to use instead of starting one, or {@code null}
     * @param functionEnv  extra environment for every function (the same for all three), on top of this
     *                     process's, which they inherit: e.g. {@code RENDITIONS}, or {@code OTEL_*} variables
     *                     such as {@code OTEL_EXPORTER_OTLP_ENDPOINT} ({@link FunctionWiring})
     * @param triggerFile  the Trigger the Broker applies; {@code null} for the repository's
     *                     {@code eventing/trigger-resize.yaml} ({@link LocalBroker.Config#defaultTrigger})
     * @param concurrency  the most events the Broker has in flight to resize at once (what pods ×
     *                     {@code containerConcurrency} allow on a cluster); 0 for the number of processors
     */
    public record Config(Path dataDir, Path functionsDir, int s3Port, Map<String, Integer> ports, String accessKey,
                         String secretKey, Buckets buckets, String webhookToken, URI externalS3,
                         Map<String, String> functionEnv, Path triggerFile, int concurrency) {

        /** Copies the maps. */
        public Config {
            ports = Map.copyOf(ports);
            functionEnv = Map.copyOf(functionEnv);
        }

        /**
         * Settings with the repository's Trigger and one event in flight per processor.
         *
         * @return the settings; see {@link Config} for the parameters
         */
        public static Config of(Path dataDir, Path functionsDir, int s3Port, Map<String, Integer> ports,
                                String accessKey, String secretKey, Buckets buckets, String webhookToken,
                                URI externalS3, Map<String, String> functionEnv) {
            return new Config(dataDir, functionsDir, s3Port, ports, accessKey, secretKey, buckets, webhookToken,
                    externalS3, functionEnv, null, 0);
        }
    }

    private final Config config;
    private final Supervisor.Settings settings;
    private final Consumer<String> output;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, FunctionProcess> functions = new LinkedHashMap<>();
    private final Map<String, URI> urls = new LinkedHashMap<>();
    private Supervisor supervisor;
    private LocalBroker broker;
    private WebhookNotifier notifier;
    private EmbeddedS3 s3;
    private EmbeddedS3.Config s3Config;
    private URI s3Endpoint;

    private LocalStack(Config config, Supervisor.Settings settings, Consumer<String> output) {
        this.config = config;
        this.settings = settings;
        this.output = output;
    }

    /**
     * Starts everything and returns when every function answers its readiness probe; from then on a function that
     * exits or fails its liveness probe is restarted ({@link Supervisor.Settings#DEFAULTS}).
     *
     * @param config settings
     * @param output receives every line the functions print, prefixed with {@code [name]}
     * @return the running stack; {@link #close()} it
     * @throws IOException           if a port cannot be bound, a jar is missing, or the data folder is unusable
     * @throws IllegalStateException if a function exits or is not ready within 120 s the first time (a broken
     *                               build fails fast instead of crash-looping); the message has its last output
     */
    public static LocalStack start(Config config, Consumer<String> output) throws IOException {
        return start(config, Supervisor.Settings.DEFAULTS, output);
    }

    /** {@link #start(Config, Consumer)} with other probe and restart timing (tests). */
    static LocalStack start(Config config, Supervisor.Settings settings, Consumer<String> output)
            throws IOException {
        LocalStack stack = new LocalStack(config, settings, output);
        try {
            stack.startAll();
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        // Every port left to the stack (0) is chosen in one go, all held open until the last is picked, so no two
        // are the same; the Broker takes its chosen port too, rather than letting the OS hand it one that a
        // function was given but has not bound yet (a function that loses its port exits, and another server
        // answers its probes).
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String function : FUNCTIONS) {
            ports.put(function, config.ports().getOrDefault(function, 0));
        }
        ports.put("broker", config.ports().getOrDefault("broker", 0));
        ports.put("s3", config.s3Port());
        ports = freePorts(ports);
        for (String function : FUNCTIONS) {
            Path jar = FunctionWiring.jar(config.functionsDir(), function);
            if (!Files.isRegularFile(jar)) {
                throw new IOException(jar + " is missing: build the functions first (./mvnw -DskipTests package)");
            }
            urls.put(function, URI.create("http://127.0.0.1:" + ports.get(function) + "/"));
        }
        // The functions are launched before the S3 server starts (S3Proxy takes ~2 s, and no function touches
        // storage before its first request), so both starts overlap: the S3 port is chosen first.
        int s3Port = ports.get("s3");
        s3Endpoint = config.externalS3() != null ? config.externalS3()
                : URI.create("http://" + MinioEvents.LOOPBACK + ":" + s3Port);
        Path trigger = config.triggerFile() != null ? config.triggerFile()
                : LocalBroker.Config.defaultTrigger(config.functionsDir());
        // Knative Service names in the Trigger to local functions; the status function serves /dead-letter here.
        LocalBroker.Config brokerConfig = LocalBroker.Config.of(config.dataDir(), trigger,
                Map.of("resize", urls.get("resize"), "status-dead-letter", urls.get("status")))
                .withPort(ports.get("broker"));
        broker = LocalBroker.start(config.concurrency() > 0 ? brokerConfig.withConcurrency(config.concurrency())
                : brokerConfig);
        FunctionWiring wiring = new FunctionWiring(config, urls, s3Endpoint, broker.uri(), broker.concurrency());
        for (String function : FUNCTIONS) {
            FunctionProcess process = new FunctionProcess(function, urls.get(function), wiring.command(function),
                    wiring.environment(function), output);
            process.launch();
            functions.put(function, process);
        }
        if (config.externalS3() == null) {
            Set<String> allBuckets = new LinkedHashSet<>(config.buckets().upload());
            allBuckets.add(config.buckets().thumbnails());
            notifier = WebhookNotifier.start(WebhookNotifier.Config.of(config.dataDir(), urls.get("minio-source"),
                    config.webhookToken()));
            // Kept, so that startS3() after stopS3() serves the endpoint the functions were given.
            s3Config = new EmbeddedS3.Config(config.dataDir(), s3Port, config.accessKey(), config.secretKey(),
                    allBuckets, config.buckets().upload());
            s3 = EmbeddedS3.start(s3Config, notifier);
        }
        try {
            for (FunctionProcess function : functions.values()) {
                String failure = function.awaitReady(http, settings.readyTimeout());
                if (failure != null) {
                    throw new IllegalStateException(function + " " + failure + "; its last output:\n"
                            + function.lastLines());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the functions to be ready", e);
        }
        supervisor = Supervisor.start(functions.values(), settings, http);
    }

    /** @return the Broker between the minio-source and resize */
    public LocalBroker broker() {
        return broker;
    }

    /** @return the S3 endpoint the functions use, e.g. {@code http://127.0.0.1:9000} */
    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /**
     * @param function one of {@link #FUNCTIONS}
     * @return its base URL, e.g. {@code http://127.0.0.1:8082/}; the same across restarts
     */
    public URI url(String function) {
        return urls.get(function);
    }

    /** @return the function's current process (a dead one while it waits to be restarted) */
    Process process(String function) {
        return functions.get(function).process();
    }

    /** @return how many times the function was restarted */
    int restarts(String function) {
        return functions.get(function).restarts();
    }

    /** @return whether the function is down and waiting out its restart delay */
    boolean restartPending(String function) {
        return supervisor.backingOff(function);
    }

    /**
     * Waits until the function's current process is alive and answers its readiness probe, e.g. after a restart.
     *
     * @throws IllegalStateException if it is not ready within {@code timeout}
     * @throws InterruptedException  if interrupted
     */
    void awaitReady(String function, Duration timeout) throws InterruptedException {
        FunctionProcess process = functions.get(function);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process.process().isAlive()
                    && process.probe(http, FunctionProcess.READINESS, Duration.ofSeconds(1)) == null) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(function + " was not ready within " + timeout.toMillis() + " ms");
    }

    /**
     * Stops the embedded S3 server, as an outage would (fault-injection tests): its port refuses connections until
     * {@link #startS3()}. Objects and queued webhook events stay on disk; the notifier keeps running.
     */
    synchronized void stopS3() {
        s3.close();
    }

    /**
     * Starts the embedded S3 server again on the same port and data directory after {@link #stopS3()}.
     *
     * @throws IOException if the port cannot be bound again
     */
    synchronized void startS3() throws IOException {
        s3 = EmbeddedS3.start(s3Config, notifier);
    }

    /**
     * Stops supervision (nothing is restarted from here on), then the notifier and the Broker (queued and stored
     * events stay on disk for the next start), then the functions (SIGTERM, so requests in flight finish; killed
     * after 15 s), then the S3 server. Idempotent.
     */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        if (broker != null) {
            broker.close();
        }
        functions.values().forEach(FunctionProcess::terminate);
        for (FunctionProcess function : functions.values()) {
            try {
                function.awaitExit(STOP_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /**
     * @param wanted port per name, 0 for "any free one"
     * @return the same names with every 0 replaced by a free port, all distinct (their sockets are open together)
     */
    private static Map<String, Integer> freePorts(Map<String, Integer> wanted) throws IOException {
        Map<String, Integer> chosen = new LinkedHashMap<>(wanted);
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (Map.Entry<String, Integer> e : chosen.entrySet()) {
                if (e.getValue() == 0) {
                    ServerSocket socket = new ServerSocket(0);
                    held.add(socket);
                    e.setValue(socket.getLocalPort());
                }
            }
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        return chosen;
    }
}
