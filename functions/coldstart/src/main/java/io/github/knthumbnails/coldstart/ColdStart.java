package io.github.knthumbnails.coldstart;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/coldstart.sh}: measures each function's cold start — fork to its first real request answered
 * (resize: a real JPEG processed to {@code succeeded}; status: a {@code GET /status}; minio-source: a webhook
 * forwarded to a sink) — run from its image's own layers ({@link ImageRoot}: the runtime, classpath, JVM flags
 * and AOT cache the image ships), beside the untuned fat jar, against one embedded S3 for the whole session.
 * Variants are interleaved within each round, so a noisy spell hits them alike; medians are reported.
 *
 * <p>Exit status: 0; 1 when a run fails (its log's tail is printed); 2 for a usage error.
 */
@Command(name = "coldstart.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures fork -> first real request answered for each function from its image tarball, and"
                + " for the baseline fat jar, interleaved; prints the commands it timed, a table per variant, image"
                + " sizes and, last, one machine-readable line.")
public final class ColdStart implements Callable<Integer> {

    private static final Duration FIRST_ANSWER = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(60);

    @Option(names = "--image", paramLabel = "FUNCTION=TAR", required = true,
            description = "an image tarball with its AOT cache, e.g. resize=functions/resize/target/jib-layout.tar;"
                    + " once per function (resize, status, minio-source)")
    Map<String, Path> images = new LinkedHashMap<>();

    @Option(names = "--baseline", paramLabel = "COMMAND",
            description = "the untuned resize to compare with, e.g. \"java -jar functions/resize/target/resize.jar\""
                    + " (words split on spaces; run in the current folder)")
    String baseline;

    @Option(names = "--runs", defaultValue = "10", paramLabel = "N",
            description = "rounds; each runs every variant once (default ${DEFAULT-VALUE}, at least 1)")
    int runs;

    @Option(names = "--variant", split = ",", paramLabel = "NAME",
            description = "only these: resize, resize_1cpu, status, minio_source, baseline_resize (default: all"
                    + " that have an image or command; the others are NA in the last line)")
    List<String> only;

    @Option(names = "--work", defaultValue = "target/coldstart", paramLabel = "DIR",
            description = "scratch folder for the extracted images and the logs (default ${DEFAULT-VALUE})")
    Path work;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
            description = "first of the five ports the variants listen on; 0 (default): free ports")
    int port;

    @Option(names = "--jvm-arg", paramLabel = "FLAG",
            description = "a JVM flag added to the image variants' command (after the java executable), to measure a"
                    + " lever against the image as shipped; repeatable")
    List<String> jvmArgs = new ArrayList<>();

    /** One thing timed: a function, its command, its workload, its port. */
    private record Variant(String name, String function, List<String> command, ImageRoot image, int port) {
    }

    /** @param args see {@code --help} */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ColdStart()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            System.err.println("coldstart: --runs must be at least 1, got " + runs);
            return 2;
        }
        for (String name : images.keySet()) {
            if (!Workload.FUNCTIONS.contains(name)) {
                System.err.println("coldstart: --image " + name + "=...: the function is one of " + Workload.FUNCTIONS);
                return 2;
            }
        }
        if (only != null && !Report.VARIANTS.containsAll(only)) {
            System.err.println("coldstart: --variant takes " + Report.VARIANTS + ", got " + only);
            return 2;
        }
        System.out.println(machine());
        Map<String, ImageRoot> roots = new LinkedHashMap<>();
        for (Map.Entry<String, Path> image : images.entrySet()) {
            roots.put(image.getKey(), ImageRoot.extract(image.getValue(), work.resolve(image.getKey()).resolve("root")));
        }
        List<Variant> variants = variants(roots);
        Map<String, List<Stats.Run>> measured = new LinkedHashMap<>();
        try (Fixture fixture = new Fixture()) {
            Map<String, Workload> workloads = new LinkedHashMap<>();
            System.out.println("commands timed (MINIO_ENDPOINT is this session's embedded S3, K_SINK its sink):");
            for (Variant v : variants) {
                Workload workload = workloads.computeIfAbsent(v.function(), f -> Workload.of(f, fixture));
                System.out.println("  " + v.name() + ": " + process(v, workload, 0).shellLine());
            }
            for (int round = 1; round <= runs; round++) {
                for (Variant v : variants) {
                    FunctionProcess run = process(v, workloads.get(v.function()), round);
                    Workload.FirstRequest first = workloads.get(v.function()).firstRequest(v.port());
                    try {
                        run.start();
                        long nanos = run.awaitFirst(fixture, first, FIRST_ANSWER);
                        measured.computeIfAbsent(v.name(), k -> new ArrayList<>())
                                .add(new Stats.Run(nanos / 1_000_000, run.rssKb(), run.cpuMillis()));
                        run.stop(EXIT);
                    } catch (IOException | RuntimeException e) {
                        run.kill();
                        System.err.println("coldstart: " + v.name() + " run " + round + " FAILED: " + e.getMessage());
                        System.err.println("--- last lines of " + run.log() + " ---");
                        System.err.println(run.logTail(40));
                        return 1;
                    } finally {
                        run.kill();
                    }
                }
                System.err.printf(Locale.ROOT, "round %d/%d done%n", round, runs);
            }
        }
        Map<String, Stats> stats = new LinkedHashMap<>();
        measured.forEach((name, list) -> stats.put(name, new Stats(list)));
        System.out.println("fork -> first request answered, " + runs + " interleaved runs each:");
        stats.forEach((name, s) -> System.out.println("  " + Report.label(name) + ": " + s.describe()));
        System.out.println("image sizes:");
        roots.forEach((name, root) -> System.out.println("  " + name + ": " + root.sizes().describe()));
        String ratio = Report.ratio(stats);
        if (ratio != null) {
            System.out.println(ratio);
        }
        System.out.println(Report.lastLine(stats, runs));
        return 0;
    }

    private List<Variant> variants(Map<String, ImageRoot> roots) throws IOException {
        List<Variant> out = new ArrayList<>();
        int next = 0;
        for (String name : Report.VARIANTS) {
            if (only != null && !only.contains(name)) {
                continue;
            }
            int listen = port == 0 ? Train.freePort() : port + next++;
            String function = name.startsWith("resize") || name.equals("baseline_resize") ? "resize"
                    : name.equals("minio_source") ? "minio-source" : name;
            if (name.equals("baseline_resize")) {
                if (baseline != null && !baseline.isBlank()) {
                    List<String> words = new ArrayList<>(List.of(baseline.strip().split("\\s+")));
                    words.set(0, executable(words.get(0)));
                    out.add(new Variant(name, function, words, null, listen));
                }
                continue;
            }
            ImageRoot root = roots.get(function);
            if (root == null) {
                continue;
            }
            List<String> command = new ArrayList<>(root.command());
            command.addAll(1, jvmArgs);
            if (name.equals("resize_1cpu")) {
                command.addAll(0, List.of(executable("taskset"), "-c", "0"));
            }
            out.add(new Variant(name, function, command, root, listen));
        }
        return out;
    }

    private FunctionProcess process(Variant v, Workload workload, int round) throws IOException {
        Path log = work.toAbsolutePath().resolve("logs").resolve(v.name() + "-" + round + ".log");
        Files.createDirectories(log.getParent());
        if (v.image() != null) {
            return FunctionProcess.fromImage(v.image(), v.command(), workload, v.port(), log);
        }
        return new FunctionProcess(v.command(), workload.env(v.port()), Path.of("").toAbsolutePath(), log);
    }

    /** @return the command's absolute path, found on this process's PATH (the runs get a clean environment) */
    static String executable(String name) {
        if (name.contains("/")) {
            return name;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not on PATH");
    }

    /** @return cores and load, with a warning when other work competes for the CPUs */
    static String machine() {
        int cores = Runtime.getRuntime().availableProcessors();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "machine: %d cores, load average %.2f before the runs%s", cores, load,
                load > cores / 2.0 ? " (busy: other work shares the CPUs; compare medians of a quiet machine)" : "");
    }
}
