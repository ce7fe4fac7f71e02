package io.github.knthumbnails.local.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.knthumbnails.local.QueueFiles;

/**
 * Micro-measure of the Broker, not a test: the rate its ingress accepts events at, and the CPU it spends per
 * event. Real S3 CloudEvents are POSTed in binary mode by {@code C} client threads (1 = the minio-source behind
 * MinIO's in-order webhook queue) and delivered to a subscriber that answers 202 at once; a round ends when all
 * are delivered. The Broker's CPU is the CPU time (user + system, so the fsyncs' kernel work counts) of its own
 * threads — ingress, its HTTP server's dispatcher, dispatch workers, the HTTP client's threads — not the test
 * client's nor the subscriber's; JIT and GC threads are not counted. Prints the median of the rounds.
 *
 * <p>Run: {@code java -cp <test classpath> io.github.knthumbnails.local.broker.BrokerBenchmark [events] [rounds]
 * [no-dir-sync]}; {@code no-dir-sync} skips the directory fsync, to show its share.
 */
public final class BrokerBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BrokerBenchmark() {
    }

    /**
     * @param args events per round (default 1000), rounds (default 5), optionally {@code no-dir-sync}
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean dirSync = !(args.length > 2 && args[2].equals("no-dir-sync"));
        List<CloudEvent> batch = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            batch.add(BrokerFixtures.upload("bench/" + i + ".jpg"));
        }
        Path dir = Files.createTempDirectory("broker-bench");
        try (TestReceiver subscriber = TestReceiver.start()) {
            Set<Long> before = new HashSet<>();
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                before.add(info.getThreadId());
            }
            try (LocalBroker broker = LocalBroker.start(LocalBroker.Config.of(dir.resolve("data"),
                    BrokerFixtures.realTrigger(), Map.of("resize", subscriber.uri(), "status-dead-letter",
                            subscriber.uri())), dirSync ? QueueFiles.FSYNC : d -> { })) {
                for (int clients : new int[] {1, 4}) {
                    round(broker, batch, clients, before); // warm-up
                    double[][] results = new double[rounds][];
                    for (int r = 0; r < rounds; r++) {
                        results[r] = round(broker, batch, clients, before);
                    }
                    System.out.printf("clients=%d events=%d rounds=%d dir-sync=%s: accepted %.0f events/s,"
                                    + " Broker CPU %.0f us/event (median; rounds: %s)%n", clients, events, rounds,
                            dirSync, median(results, 0), median(results, 1), Arrays.toString(
                                    Arrays.stream(results).mapToLong(r -> Math.round(r[1])).toArray()));
                }
                printBrokerThreads(before);
            }
        }
    }

    /** The Broker's CPU over the whole run by thread (digits in names dropped), to see where it goes. */
    private static void printBrokerThreads(Set<Long> notBroker) {
        Map<String, Long> byName = new java.util.TreeMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && !notBroker.contains(info.getThreadId())
                    && !info.getThreadName().startsWith("bench-client-")
                    && !info.getThreadName().startsWith("test-receiver-")) {
                byName.merge(info.getThreadName().replaceAll("\\d+", "#"),
                        Math.max(0, THREADS.getThreadCpuTime(info.getThreadId())), Long::sum);
            }
        }
        byName.forEach((name, nanos) -> System.out.printf("  %-32s %6.0f ms%n", name, nanos / 1e6));
    }

    /** @return {events accepted per second, Broker CPU microseconds per event} once all are delivered */
    private static double[] round(LocalBroker broker, List<CloudEvent> batch, int clients, Set<Long> notBroker)
            throws Exception {
        long cpu0 = brokerCpuNanos(notBroker);
        long t0 = System.nanoTime();
        send(broker.uri(), batch, clients);
        long accepted = System.nanoTime() - t0;
        if (!broker.awaitDrained(Duration.ofSeconds(120))) {
            throw new IllegalStateException("not drained");
        }
        long cpu = brokerCpuNanos(notBroker) - cpu0;
        return new double[] {batch.size() * 1e9 / accepted, cpu / 1e3 / batch.size()};
    }

    /** CPU time of the threads started by the Broker: all but those alive before it and the benchmark's own. */
    private static long brokerCpuNanos(Set<Long> notBroker) {
        long sum = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && !notBroker.contains(info.getThreadId())
                    && !info.getThreadName().startsWith("bench-client-")
                    && !info.getThreadName().startsWith("test-receiver-")) {
                sum += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** POSTs the batch over {@code clients} threads with HttpURLConnection (not java.net.http, so that every
     * HttpClient thread in the process is the Broker's), each expecting a 202. */
    private static void send(URI target, List<CloudEvent> batch, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients, task -> new Thread(task, "bench-client-"));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                done.add(pool.submit(() -> {
                    for (int i = first; i < batch.size(); i += clients) {
                        post(target, batch.get(i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void post(URI target, CloudEvent event) throws IOException {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpURLConnection connection = (HttpURLConnection) target.toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        message.headers().forEach(connection::setRequestProperty);
        connection.setFixedLengthStreamingMode(message.body().length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(message.body());
        }
        int status = connection.getResponseCode();
        try (InputStream in = connection.getInputStream()) {
            in.readAllBytes(); // keeps the connection for reuse
        }
        if (status != 202) {
            throw new IllegalStateException("HTTP " + status);
        }
    }

    private static double median(double[][] rows, int column) {
        double[] values = Arrays.stream(rows).mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }
}
