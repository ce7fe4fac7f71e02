package io.github.knthumbnails.local.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A progress bar on stderr while a load run goes on: redrawn in place 5 times a second on a terminal, one plain
 * line every 5 s otherwise (a log file), and a final line when closed. No library: none of the well-kept ones
 * resolves from this project's registry (me.tongfei:progressbar does not), and this is 60 lines.
 */
public final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final int total;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final AtomicInteger uploaded = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final ScheduledExecutorService timer;

    /**
     * @param total    N
     * @param out      where to draw (stderr); {@code null} draws nothing (tests)
     * @param terminal whether {@code out} is a terminal (redraw in place) or a file (a line now and then)
     */
    public Progress(int total, PrintStream out, boolean terminal) {
        this.total = total;
        this.out = out;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-progress");
            t.setDaemon(true);
            return t;
        });
        if (out != null) {
            long period = terminal ? 200 : 5000;
            timer.scheduleAtFixedRate(() -> draw(false), period, period, TimeUnit.MILLISECONDS);
        }
    }

    void uploaded() {
        uploaded.incrementAndGet();
    }

    void ended(JobOutcome.State state) {
        (state == JobOutcome.State.SUCCEEDED ? ok : state == JobOutcome.State.FAILED ? failed : lost).incrementAndGet();
    }

    private synchronized void draw(boolean last) {
        int done = ok.get() + failed.get() + lost.get();
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        String line = String.format(Locale.ROOT, "[%s%s] %d/%d terminal (ok %d, failed %d, lost %d), uploaded %d, %.1f s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, ok.get(), failed.get(), lost.get(),
                uploaded.get(), (System.nanoTime() - started) / 1e9);
        out.print(terminal ? "\r" + line + (last ? "\n" : "") : line + "\n");
        out.flush();
    }

    /** Stops redrawing and draws the final state. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (out != null) {
            draw(true);
        }
    }
}
