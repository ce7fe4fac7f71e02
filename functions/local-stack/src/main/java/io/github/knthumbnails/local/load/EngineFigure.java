package io.github.knthumbnails.local.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bare image engine's speed on this machine, measured as {@code scripts/bench.sh} does it: a separate JVM
 * running {@code io.github.knthumbnails.image.EngineBench speed} (the image module's test classes) single-threaded
 * with the serial GC, pinned to one CPU with {@code taskset}, 3 warm-up and 5 timed passes of 100×100 fit and cover
 * JPEG q80 over every {@code *.jpg} of the photo folder. The figure is the mean of the fit and cover medians, as
 * bench.sh reports it (issue 9 quotes 8.2 ms/img, ~122 images/s); the pipeline renders the cover one by default.
 *
 * @param fitMs   median ms per image, fit
 * @param coverMs median ms per image, cover
 * @param decoder the JPEG decoder the engine used, as EngineBench names it
 * @param pinning e.g. {@code CPU 1}, or why it was not pinned
 */
public record EngineFigure(double fitMs, double coverMs, String decoder, String pinning) {

    private static final Pattern VALUE = Pattern.compile("(?m)^(decoder|fit_ms|cover_ms)=(.*)$");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** @return ms per image: the mean of {@link #fitMs()} and {@link #coverMs()} */
    public double msPerImage() {
        return (fitMs + coverMs) / 2;
    }

    /** @return images per second on one core: 1000 / {@link #msPerImage()} */
    public double imagesPerSecond() {
        return 1000 / msPerImage();
    }

    /** @return one line for people */
    public String describe() {
        return String.format(Locale.ROOT, "bare engine (1 thread, %s, %s): fit %.2f ms, cover %.2f ms; mean %.2f"
                + " ms/img = %.1f images/s", pinning, decoder, fitMs, coverMs, msPerImage(), imagesPerSecond());
    }

    /**
     * Runs the benchmark and waits for it (a few seconds).
     *
     * @param classpath the image module's classes, test classes and runtime dependencies
     * @param photos    the photo folder
     * @param cpu       the CPU to pin to (taskset {@code -c} syntax); blank to not pin
     * @return the figure
     * @throws IOException if the benchmark cannot start, fails, times out or prints no figures; the message says
     *                     which and includes its output
     * @throws InterruptedException if interrupted while waiting
     */
    public static EngineFigure measure(String classpath, Path photos, String cpu)
            throws IOException, InterruptedException {
        boolean pin = cpu != null && !cpu.isBlank() && onPath("taskset");
        List<String> command = new ArrayList<>();
        if (pin) {
            command.addAll(List.of("taskset", "-c", cpu.strip()));
        }
        Path out = Files.createTempDirectory("engine-bench");
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", classpath, "io.github.knthumbnails.image.EngineBench", "speed",
                photos.toString(), out.toString(), "3", "5"));
        try {
            Path log = out.resolve("bench.out");
            Process process = new ProcessBuilder(command).redirectOutput(log.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            boolean exited = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!exited || process.exitValue() != 0) {
                throw new IOException("the engine benchmark " + (exited ? "failed" : "took over " + TIMEOUT.toMinutes()
                        + " min") + ": " + output);
            }
            return parse(output,
                    pin ? "CPU " + cpu.strip() : cpu == null || cpu.isBlank() ? "not pinned" : "not pinned: no taskset");
        } finally {
            try (Stream<Path> files = Files.walk(out)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * @param output  EngineBench's {@code key=value} lines
     * @param pinning see the record
     * @return the figure
     * @throws IOException if {@code fit_ms} or {@code cover_ms} is missing or not a number
     */
    static EngineFigure parse(String output, String pinning) throws IOException {
        String decoder = "?";
        double fit = Double.NaN;
        double cover = Double.NaN;
        Matcher m = VALUE.matcher(output);
        try {
            while (m.find()) {
                switch (m.group(1)) {
                    case "decoder" -> decoder = m.group(2).strip();
                    case "fit_ms" -> fit = Double.parseDouble(m.group(2).strip());
                    default -> cover = Double.parseDouble(m.group(2).strip());
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("the engine benchmark printed a malformed figure: " + output, e);
        }
        if (Double.isNaN(fit) || Double.isNaN(cover)) {
            throw new IOException("the engine benchmark printed no fit_ms/cover_ms: " + output);
        }
        return new EngineFigure(fit, cover, decoder, pinning);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
