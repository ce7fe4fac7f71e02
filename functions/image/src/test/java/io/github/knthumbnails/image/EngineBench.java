package io.github.knthumbnails.image;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * The Java side of {@code scripts/bench.sh}: not a test (surefire runs {@code *Test} classes only), but compiled by
 * {@code ./mvnw verify} so it cannot rot. Commands, each printing {@code key=value} lines:
 * <ul>
 *   <li>{@code speed DIR OUT WARMUP PASSES}: 100×100 fit and cover, JPEG q80, over every file in DIR, single
 *       thread; prints the median pass time per image and writes the fit thumbnails to OUT/&lt;stem&gt;.jpg;</li>
 *   <li>{@code ops DIR WARMUP PASSES}: what each rendition operation adds to a 100×100 centre cover (issue 13):
 *       passes of the plain cover and of the cover with {@code gravity=smart}, {@code grayscale} and {@code blur=2}
 *       take turns over every file in DIR; prints each operation's median extra time per rendition;</li>
 *   <li>{@code crops DIR OUT}: writes each file's 100×100 cover with {@code gravity=center} and
 *       {@code gravity=smart} to OUT/&lt;stem&gt;.center.jpg and .smart.jpg (JPEG q95), to compare where the crops
 *       land with a peer's;</li>
 *   <li>{@code heap FILE ITERATIONS MAX_PIXELS}: renders one file repeatedly (after a warm-up) and prints the
 *       median and first time in ms and the peak heap in MB (sum of the heap pools' peak use since a reset after
 *       warm-up, garbage included: an upper bound); run it under {@code -Xmx} to prove a bound;</li>
 *   <li>{@code psnr DIR THUMBS...}: mean PSNR in dB of each directory's fit thumbnails against a reference made
 *       from a full decode (ImageIO), EXIF orientation applied, and a Lanczos-3 reduction straight to the
 *       thumbnail's own size.</li>
 * </ul>
 */
public final class EngineBench {

    private static final List<RenditionSpec> FIT = RenditionSpec.parseList("fit:100x100:fit:80");
    private static final List<RenditionSpec> COVER = RenditionSpec.parseList("cover:100x100:cover:80");

    private EngineBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "speed" -> speed(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            case "ops" -> ops(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "crops" -> crops(Path.of(args[1]), Path.of(args[2]));
            case "heap" -> heap(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "psnr" -> psnr(Path.of(args[1]), Arrays.stream(args, 2, args.length).map(Path::of).toList());
            default -> throw new IllegalArgumentException("speed | ops | crops | heap | psnr");
        }
    }

    private static ImageEngine engine(long maxPixels) {
        ImageEngine engine = new ImageEngine(EngineSettings.from(name -> switch (name) {
            case ImageLimits.MAX_IMAGE_PIXELS -> Long.toString(maxPixels);
            default -> System.getenv(name);
        }));
        System.out.println("decoder=" + engine.jpegDecoder());
        return engine;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg")).sorted().toList();
        }
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static void speed(Path dir, Path out, int warmup, int passes) throws Exception {
        ImageEngine engine = engine(50_000_000L);
        List<Path> files = files(dir);
        List<byte[]> sources = new ArrayList<>();
        for (Path f : files) {
            sources.add(Files.readAllBytes(f));
        }
        Files.createDirectories(out);
        for (List<RenditionSpec> spec : List.of(FIT, COVER)) {
            for (int i = 0; i < warmup; i++) {
                pass(engine, sources, spec);
            }
            double[] times = new double[passes];
            for (int i = 0; i < passes; i++) {
                times[i] = pass(engine, sources, spec) / sources.size();
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT, "%s_ms=%.2f%n%s_spread_ms=%.2f-%.2f%n", spec.get(0).name(),
                    times[passes / 2], spec.get(0).name(), times[0], times[passes - 1]);
        }
        for (int i = 0; i < files.size(); i++) {
            Files.write(out.resolve(stem(files.get(i)) + ".jpg"), engine.render(sources.get(i), FIT).get(0).bytes());
        }
    }

    private static void ops(Path dir, int warmup, int passes) throws Exception {
        ImageEngine engine = engine(50_000_000L);
        List<byte[]> sources = new ArrayList<>();
        for (Path f : files(dir)) {
            sources.add(Files.readAllBytes(f));
        }
        Map<String, List<RenditionSpec>> variants = new LinkedHashMap<>();
        variants.put("cover", COVER);
        for (String op : List.of("gravity=smart", "grayscale", "blur=2")) {
            variants.put(op, RenditionSpec.parseList("cover:100x100:cover:80:" + op));
        }
        Map<String, double[]> times = new LinkedHashMap<>();
        variants.keySet().forEach(name -> times.put(name, new double[passes]));
        for (int i = -warmup; i < passes; i++) {
            for (Map.Entry<String, List<RenditionSpec>> v : variants.entrySet()) {
                double ms = pass(engine, sources, v.getValue()) / sources.size();
                if (i >= 0) {
                    times.get(v.getKey())[i] = ms;
                }
            }
        }
        double[] cover = times.get("cover");
        System.out.printf(Locale.ROOT, "cover_ms=%.3f%n", median(cover));
        times.forEach((name, t) -> {
            if (!name.equals("cover")) {
                double[] extra = new double[passes];
                for (int i = 0; i < passes; i++) {
                    extra[i] = t[i] - cover[i];
                }
                System.out.printf(Locale.ROOT, "%s_extra_ms=%.3f%n", name.replace("gravity=", "").replace("=", ""),
                        median(extra));
            }
        });
    }

    private static void crops(Path dir, Path out) throws Exception {
        ImageEngine engine = engine(50_000_000L);
        Files.createDirectories(out);
        List<RenditionSpec> specs = RenditionSpec.parseList(
                "center:100x100:cover:95:gravity=center,smart:100x100:cover:95:gravity=smart");
        for (Path f : files(dir)) {
            for (Rendition r : engine.render(Files.readAllBytes(f), specs)) {
                Files.write(out.resolve(stem(f) + "." + r.spec().name() + ".jpg"), r.bytes());
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** @return milliseconds for one pass */
    private static double pass(ImageEngine engine, List<byte[]> sources, List<RenditionSpec> spec)
            throws ImageRejectedException {
        long start = System.nanoTime();
        for (byte[] source : sources) {
            engine.render(source, spec);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void heap(Path file, int iterations, long maxPixels) throws Exception {
        ImageEngine engine = engine(maxPixels);
        byte[] source = Files.readAllBytes(file);
        List<RenditionSpec> both = List.of(FIT.get(0), COVER.get(0));
        long t0 = System.nanoTime();
        String outcome;
        try {
            engine.render(source, both);
            outcome = "ok";
        } catch (ImageRejectedException e) {
            outcome = e.reason().errorClass();
        }
        double first = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < 3; i++) {
            render(engine, source, both);
        }
        System.gc();
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long idle = pools.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        double[] times = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            render(engine, source, both);
            times[i] = (System.nanoTime() - t) / 1e6;
        }
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        Arrays.sort(times);
        System.out.printf(Locale.ROOT, "outcome=%s%nfirst_ms=%.1f%nmedian_ms=%.2f%npeak_heap_mb=%.1f%n"
                + "idle_heap_mb=%.1f%nmax_heap_mb=%.0f%n", outcome, first, times[iterations / 2], peak / 1048576.0,
                idle / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    private static void render(ImageEngine engine, byte[] source, List<RenditionSpec> specs) {
        try {
            engine.render(source, specs);
        } catch (ImageRejectedException e) {
            // the rejection is what is timed
        }
    }

    private static void psnr(Path dir, List<Path> thumbDirs) throws Exception {
        Map<String, Pixels> originals = new HashMap<>();
        Map<String, Integer> orientations = new HashMap<>();
        for (Path f : files(dir)) {
            byte[] bytes = Files.readAllBytes(f);
            originals.put(stem(f), Decoder.pixels(ImageIO.read(f.toFile()), false, 0xFFFFFF));
            orientations.put(stem(f), SourceHeader.read(bytes).orientation());
        }
        for (Path thumbs : thumbDirs) {
            double sum = 0;
            int n = 0;
            for (Map.Entry<String, Pixels> e : originals.entrySet()) {
                Path t = thumbs.resolve(e.getKey() + ".jpg");
                if (!Files.exists(t)) {
                    continue;
                }
                Pixels thumb = Decoder.pixels(ImageIO.read(t.toFile()), false, 0xFFFFFF);
                Pixels full = e.getValue().oriented(orientations.get(e.getKey()));
                Pixels reference = Resampler.lanczos(full, 0, 0, full.width(), full.height(), thumb.width(),
                        thumb.height());
                sum += psnr(rgb(reference), rgb(thumb));
                n++;
            }
            System.out.printf(Locale.ROOT, "psnr[%s]=%.2f n=%d%n", thumbs.getFileName(), n == 0 ? Double.NaN : sum / n,
                    n);
        }
    }

    private static byte[] rgb(Pixels p) {
        if (p.channels() == 3) {
            return p.data();
        }
        byte[] out = new byte[p.width() * p.height() * 3];
        for (int i = 0; i < p.width() * p.height(); i++) {
            Arrays.fill(out, i * 3, i * 3 + 3, p.data()[i]);
        }
        return out;
    }

    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        double mse = se / a.length;
        return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
    }
}
