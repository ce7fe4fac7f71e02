package io.github.knthumbnails.local.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scripts/load-local.sh N C}: checks that a local stack answers, measures the bare engine on one core while
 * the stack is idle ({@link EngineFigure}), runs the load ({@link LoadRun}), prints the figures
 * ({@link LoadSummary}) with the machine-readable line last.
 *
 * <p>Exit status: 0; 1 when any job was lost; 2 for a usage error; 3 when no stack answers or the photos or the
 * engine benchmark are missing.
 */
@Command(name = "load-local.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Uploads N photos to the running local stack (scripts/run-local.sh), C at a time, follows"
                + " each job through the status function and prints throughput, upload->terminal percentiles,"
                + " lost and failed counts, and the bare engine's images/s on one core measured in the same run.",
                "Reads MINIO_ENDPOINT or LOCAL_S3_PORT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, UPLOAD_BUCKETS and"
                        + " LOCAL_STATUS_PORT as run-local.sh does. Writes only new keys load/<run-id>/..."})
public final class LoadMain implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "N", description = "uploads, cycling through the photos")
    int count;

    @Parameters(index = "1", paramLabel = "C", description = "uploads in flight (with --wait: jobs in flight)")
    int concurrency;

    @Option(names = "--photos", paramLabel = "DIR", description = "JPEG/PNG photos (default:"
            + " $THUMBNAILS_SHARED_DIR/testdata/photos, else ../shared/testdata/photos beside the checkout)")
    Path photos;

    @Option(names = "--wait", description = "each of the C workers waits for its job to be terminal before its next"
            + " upload (C=1: one at a time); default: a burst, nobody waits")
    boolean waitEach;

    @Option(names = "--deadline-s", defaultValue = "120", paramLabel = "S",
            description = "a job not terminal S s after the last upload is lost (default ${DEFAULT-VALUE})")
    int deadlineSeconds;

    @Option(names = "--poll-ms", defaultValue = "200", paramLabel = "MS",
            description = "pause between two walks over the unfinished jobs (default ${DEFAULT-VALUE})")
    int pollMillis;

    @Option(names = "--engine-classpath", paramLabel = "CP",
            description = "the image module's classes, test classes and dependencies; without it the engine is"
                    + " not measured (NA)")
    String engineClasspath;

    @Option(names = "--engine-cpu", defaultValue = "1", paramLabel = "CPU",
            description = "CPU the engine benchmark is pinned to with taskset; blank: not pinned (default"
                    + " ${DEFAULT-VALUE})")
    String engineCpu;

    /**
     * @param args see the command's {@code --help}
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LoadRun.Settings settings;
        try {
            settings = new LoadRun.Settings(count, concurrency, waitEach, Duration.ofSeconds(deadlineSeconds),
                    Duration.ofMillis(pollMillis));
        } catch (IllegalArgumentException e) {
            System.err.println("load-local: " + e.getMessage());
            return 2;
        }
        LoadTarget target = LoadTarget.from(System::getenv);
        List<Path> images;
        try {
            target.check(HttpClient.newHttpClient());
            images = photos(photos != null ? photos : defaultPhotos());
        } catch (LoadTarget.NotRunningException | IOException e) {
            System.err.println("load-local: " + e.getMessage());
            return 3;
        }
        System.out.println(machine());
        double engine = Double.NaN;
        if (engineClasspath != null) {
            System.out.println("measuring the bare engine while the stack is idle...");
            try {
                EngineFigure figure = EngineFigure.measure(engineClasspath, images.get(0).getParent(), engineCpu);
                System.out.println(figure.describe());
                engine = figure.imagesPerSecond();
            } catch (IOException e) {
                System.err.println("load-local: " + e.getMessage());
                return 3;
            }
        }
        String runId = runId();
        System.out.printf(Locale.ROOT, "%d uploads of %d photos from %s, C=%d %s, to %s/%s/load/%s/; status %s%n", count,
                images.size(), images.get(0).getParent(), concurrency, waitEach
                        ? "jobs in flight (--wait)" : "uploads in flight (burst)", target.s3(),
                target.bucket(), runId, target.status());
        List<JobOutcome> outcomes;
        LoadRun run;
        try (Progress progress = new Progress(count, System.err, System.console() != null)) {
            run = new LoadRun(target, settings, progress);
            outcomes = run.run(images, runId);
        }
        LoadSummary summary = LoadSummary.of(outcomes, engine);
        System.out.printf(Locale.ROOT, "status requests: %d (%.1f per job; one walk every %d ms)%n",
                run.polls(), (double) run.polls() / count, pollMillis);
        summary.humanLines().forEach(System.out::println);
        if (waitEach) {
            System.out.println("(--wait: jobs/s includes the pause until the tool sees each job end, so it is not the"
                    + " pipeline's capacity; run without --wait for that)");
        }
        System.out.println(summary.lastLine());
        return summary.lost() > 0 ? 1 : 0;
    }

    /** @return the cores and the 1-minute load average, with a warning when other work competes for the CPUs */
    static String machine() {
        int cores = Runtime.getRuntime().availableProcessors();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(Locale.ROOT, "machine: %d cores, load average %.2f before the run%s", cores, load,
                load > cores / 2.0 ? " (busy: other work shares the CPUs, so the figures and the ratio vary from run to"
                        + " run; compare runs on a quiet machine)" : "");
    }

    /** @return {@code <UTC time>-<4 random hex digits>}: keys of two runs never meet */
    static String runId() {
        byte[] random = new byte[2];
        new SecureRandom().nextBytes(random);
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
                + HexFormat.of().formatHex(random);
    }

    /** As SharedTestData finds the corpus: {@code THUMBNAILS_SHARED_DIR}, else ../shared beside the checkout. */
    private static Path defaultPhotos() {
        String shared = System.getenv("THUMBNAILS_SHARED_DIR");
        Path root = shared == null || shared.isBlank()
                ? Path.of(System.getProperty("thumbnails.root", "."), "..", "shared") : Path.of(shared.strip());
        return root.resolve("testdata").resolve("photos");
    }

    /**
     * @param dir a folder
     * @return its {@code *.jpg}, {@code *.jpeg} and {@code *.png} files, sorted by name
     * @throws IOException if the folder is missing or holds none, saying so
     */
    static List<Path> photos(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no photo folder at " + dir.toAbsolutePath().normalize()
                    + " (pass --photos DIR or set THUMBNAILS_SHARED_DIR)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(jpe?g|png)")).sorted().map(p -> p.toAbsolutePath().normalize()).toList();
            if (found.isEmpty()) {
                throw new IOException("no *.jpg, *.jpeg or *.png in " + dir.toAbsolutePath().normalize());
            }
            return found;
        }
    }
}
