package io.github.knthumbnails.backfill;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.knthumbnails.backfill.Selection.Reason;
import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.image.RenditionSpec;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.storage.StorageException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/backfill.sh}: brings existing uploads up to the current {@code RENDITIONS} (issue 13). Reads the
 * same environment as resize ({@code MINIO_*}, {@code UPLOAD_BUCKETS}, {@code THUMBNAILS_BUCKET},
 * {@code RENDITIONS}) and {@code K_SINK}. Prints, on standard output, each upload a dry run would send and last a
 * summary line: {@code backfill bucket=images prefix= listed=12 sent=3 skipped=9 failed=0 dry_run=false
 * missing=0 other_version=0 not_final=1 stuck=0 other_profile=2}; failures go to standard error, the progress
 * bar too. Exit status: 0 when nothing failed, 1 when an upload failed, 2 for a usage or configuration error, 3
 * when the bucket cannot be listed.
 */
@Command(name = "backfill.sh", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends an S3 CloudEvent to the pipeline's sink for every upload whose job is missing, "
                + "failed for a reason that is not final (e.g. delivery_failed), stuck in processing, or made by "
                + "another RENDITIONS than the current one. Reads storage only; never touches an upload. Safe to "
                + "interrupt and run again."})
public final class BackfillMain implements Callable<Integer> {

    /** The local stack's Broker ingress, where events go when neither {@code --sink} nor {@code K_SINK} says. */
    static final String LOCAL_SINK = "http://127.0.0.1:8083/";

    @Option(names = "--bucket", paramLabel = "B", description = "upload bucket to backfill (default: the first of "
            + "UPLOAD_BUCKETS, images)")
    String bucket;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "only keys starting with P")
    String prefix;

    @Option(names = "--dry-run", description = "list what would be sent, send nothing")
    boolean dryRun;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "20", description = "events per second (default: "
            + "${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--sink", paramLabel = "URL", description = "where events go (default: K_SINK, else the local "
            + "stack's Broker, " + LOCAL_SINK + ", port LOCAL_BROKER_PORT)")
    URI sink;

    @Option(names = "--stuck-after", paramLabel = "D", defaultValue = "10m", converter = DurationConverter.class,
            description = "a job processing for longer than D is stuck: 90s, 10m, 2h or ISO-8601 (default: "
                    + "${DEFAULT-VALUE})")
    Duration stuckAfter;

    @Option(names = "--renditions", paramLabel = "LIST", description = "the profile to bring uploads up to "
            + "(default: RENDITIONS, else " + RenditionSpec.DEFAULT + "); must be what resize runs with")
    String renditions;

    @Option(names = "--no-progress", description = "no progress bar on standard error (for logs, e.g. in a Job)")
    boolean noProgress;

    private final Function<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration firstRetry;

    BackfillMain(Function<String, String> env, PrintStream out, PrintStream err, Duration firstRetry) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.firstRetry = firstRetry;
    }

    /**
     * @param args see {@code --help}
     */
    public static void main(String[] args) {
        System.exit(commandLine(System::getenv, System.out, System.err, Duration.ofMillis(500)).execute(args));
    }

    static CommandLine commandLine(Function<String, String> env, PrintStream out, PrintStream err,
                                   Duration firstRetry) {
        CommandLine cli = new CommandLine(new BackfillMain(env, out, err, firstRetry));
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                err.println("backfill: " + e.getMessage());
                return 2;
            }
            if (e instanceof StorageException) {
                err.println("backfill: " + e.getMessage());
                return 3;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public Integer call() throws Exception {
        Buckets buckets = Buckets.from(env);
        String target = bucket != null ? bucket : buckets.upload().iterator().next();
        if (!buckets.isUpload(target)) {
            throw new IllegalArgumentException("bucket '" + target + "' is not in UPLOAD_BUCKETS (" + String.join(",",
                    buckets.upload()) + "): resize ignores its events");
        }
        Map<String, String> profile = RenditionSpec.profile(RenditionSpec.parseList(
                renditions != null ? renditions : env.apply(RenditionSpec.RENDITIONS)));
        EventSink eventSink = dryRun ? null : new EventSink(sinkUri(), rate, firstRetry);
        ObjectStore store = new ObjectStore(S3Settings.from(env));
        Backfill backfill = new Backfill(store, new JobStore(store, buckets.thumbnails()),
                new Selection(profile, stuckAfter), new BackfillEvents(Long.toString(System.currentTimeMillis())),
                eventSink, Clock.systemUTC());
        err.println("backfill: " + target + "/" + prefix + "* to " + (dryRun ? "nowhere (dry run)" : eventSink.sink())
                + ", profile " + profile);
        Backfill.Summary summary;
        try (Progress bar = new Progress()) {
            summary = backfill.run(target, prefix, bar);
        }
        out.println("backfill bucket=" + target + " prefix=" + prefix + " listed=" + summary.listed() + " sent="
                + summary.sent() + " skipped=" + summary.skipped() + " failed=" + summary.failed() + " dry_run="
                + summary.dryRun() + " " + java.util.Arrays.stream(Reason.values())
                .map(r -> r.wireName() + "=" + summary.selected().getOrDefault(r, 0L))
                .collect(Collectors.joining(" ")));
        return summary.failed() > 0 ? 1 : 0;
    }

    private URI sinkUri() {
        if (sink != null) {
            return sink;
        }
        String kSink = env.apply("K_SINK");
        if (kSink != null && !kSink.isBlank()) {
            return URI.create(kSink.strip());
        }
        String port = env.apply("LOCAL_BROKER_PORT");
        return port == null || port.isBlank() ? URI.create(LOCAL_SINK) : URI.create("http://127.0.0.1:" + port.strip()
                + "/");
    }

    /** Prints dry-run picks and failures as they come, and moves the progress bar. */
    private final class Progress implements Backfill.Listener, AutoCloseable {

        private ProgressBar bar;

        @Override
        public void started(long uploads) {
            if (!noProgress) {
                bar = new ProgressBarBuilder().setTaskName("backfill").setInitialMax(uploads).setUnit(" uploads", 1)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(250).build();
            }
        }

        @Override
        public void done(ObjectInfo upload, Optional<Reason> reason, String error) {
            if (error != null) {
                err.println((bar != null ? "\n" : "") + "backfill: failed " + upload.bucket() + "/" + upload.key()
                        + ": " + error);
            } else if (dryRun && reason.isPresent()) {
                out.println("would send " + upload.bucket() + "/" + upload.key() + " (" + reason.get().wireName()
                        + ")");
            }
            if (bar != null) {
                bar.step();
                bar.setExtraMessage(reason.map(Reason::wireName).orElse(""));
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, or an ISO-8601 duration such as {@code PT10M}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})([smhd])").matcher(value.strip());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(value.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 90s, 10m, 2h"
                        + " or PT10M");
            }
        }
    }
}
