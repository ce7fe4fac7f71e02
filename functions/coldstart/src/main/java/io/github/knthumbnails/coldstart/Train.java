package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a function's JDK 25 AOT cache at image build, on the image's own layers: extracts the image, runs its
 * command with {@code -XX:AOTCacheOutput=<cache>} in place of {@code -XX:AOTCache=...} (JEP 514: one training
 * run writes the cache when the JVM exits) against an embedded S3, waits for the first real request to be
 * answered, runs the function's training workload ({@link Workload#train}), stops it with SIGTERM as Knative does,
 * and checks the cache was written.
 *
 * <p>Exit status: 0 with a non-empty cache; 1 when any step fails (the message and the tail of the function's log
 * say why); 2 for a usage error.
 */
@Command(name = "Train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains the JDK 25 AOT cache of one function from its image tarball (jib:buildTar, Docker"
                + " format, without the cache), on a real workload against an embedded S3.")
public final class Train implements Callable<Integer> {

    private static final Duration FIRST_ANSWER = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(180);

    @Option(names = "--image", required = true, paramLabel = "TAR", description = "the image tarball")
    Path image;

    @Option(names = "--function", required = true, paramLabel = "NAME",
            description = "resize, status or minio-source")
    String function;

    @Option(names = "--cache", required = true, paramLabel = "FILE", description = "the AOT cache to write")
    Path cache;

    @Option(names = "--work", required = true, paramLabel = "DIR",
            description = "scratch folder: the extracted image and the function's log (emptied first)")
    Path work;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
            description = "the function's port; 0 (default): a free one")
    int port;

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Train()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Workload.FUNCTIONS.contains(function)) {
            System.err.println("Train: --function must be one of " + Workload.FUNCTIONS + ", got '" + function + "'");
            return 2;
        }
        Path output = cache.toAbsolutePath().normalize();
        Files.createDirectories(output.getParent());
        Files.deleteIfExists(output);
        long t0 = System.nanoTime();
        ImageRoot root = ImageRoot.extract(image, work.resolve("root"));
        long extracted = System.nanoTime();
        List<String> command = trainingCommand(root.command(), output);
        int listen = port != 0 ? port : freePort();
        FunctionProcess run = null;
        try (Fixture fixture = new Fixture()) {
            Workload workload = Workload.of(function, fixture);
            Workload.FirstRequest first = workload.firstRequest(listen);
            run = FunctionProcess.fromImage(root, command, workload, listen, work.toAbsolutePath().resolve(function
                    + ".log"));
            System.out.println("Train " + function + ": " + run.shellLine());
            run.start();
            long firstNanos = run.awaitFirst(fixture, first, FIRST_ANSWER);
            long trainStart = System.nanoTime();
            workload.train(listen);
            long trained = System.nanoTime();
            int status = run.stop(EXIT);
            long stopped = System.nanoTime();
            if (!Files.isRegularFile(output) || Files.size(output) == 0) {
                throw new WorkloadException("the JVM exited (status " + status + ") without writing the AOT cache "
                        + output);
            }
            System.out.printf(Locale.ROOT, "Train %s: extract %d ms, first request answered %d ms after the fork,"
                            + " training workload %d ms, stop and cache dump %d ms (exit status %d); %s, %.1f MB%n",
                    function, ms(extracted - t0), firstNanos / 1_000_000, ms(trained - trainStart),
                    ms(stopped - trained), status, output, Files.size(output) / 1e6);
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("Train " + function + ": FAILED: " + e);
            if (run != null) {
                run.kill();
                System.err.println("--- last lines of " + run.log() + " ---");
                System.err.println(run.logTail(60));
            }
            return 1;
        } finally {
            if (run != null) {
                run.kill();
            }
        }
    }

    /**
     * @param command the image's command, paths moved
     * @param cache   where the cache goes
     * @return the command with {@code -XX:AOTCache=...} replaced by {@code -XX:AOTCacheOutput=<cache>} (added
     *     after the executable when the image names no cache) and any {@code -XX:AOTMode=...} removed
     */
    static List<String> trainingCommand(List<String> command, Path cache) {
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        for (String arg : command) {
            if (arg.startsWith("-XX:AOTMode=")) {
                continue;
            }
            if (arg.startsWith("-XX:AOTCache=")) {
                out.add("-XX:AOTCacheOutput=" + cache);
                replaced = true;
            } else {
                out.add(arg);
            }
        }
        if (!replaced) {
            out.add(1, "-XX:AOTCacheOutput=" + cache);
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
