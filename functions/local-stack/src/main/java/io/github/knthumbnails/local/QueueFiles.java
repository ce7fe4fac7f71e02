package io.github.knthumbnails.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The webhook queue's directory: one file per event, named {@code <20-digit sequence number>.json} so that names
 * sort in emission order, a {@code .lock} file that keeps a second user out, and a {@code refused/} folder for
 * events the receiver refused for good. Holds no events in memory; {@link WebhookNotifier} keeps their order.
 * Public so that the local Broker stand-in ({@code io.github.knthumbnails.local.broker}) stores its events the same
 * way, in a directory of its own.
 *
 * <p>Every change is durable the way a crash-safe queue must be (issue 8, finding 11): a file's bytes are
 * fsynced before its rename from {@code .tmp}, and the directory after it — a rename is an update of the
 * directory, and until the directory is on disk a power cut can undo it (POSIX {@code rename(2)} and
 * {@code fsync(2)}; this is what MinIO's {@code queue_dir} store relies on the OS for). A half-written
 * {@code .tmp} file is never delivered: {@link #open} deletes it. Thread-safe.
 */
public final class QueueFiles implements AutoCloseable {

    /** Makes a directory's entries durable. The seam lets tests see that it happens, and when. */
    @FunctionalInterface
    public interface DirectorySync {

        /**
         * @param directory a directory whose entries were just changed
         * @throws IOException if they cannot be made durable
         */
        void sync(Path directory) throws IOException;
    }

    /**
     * fsync of the directory itself (opened for reading, then {@link FileChannel#force}). Windows cannot open a
     * directory as a channel; there NTFS journals the rename itself, so nothing is done.
     */
    public static final DirectorySync FSYNC = directory -> {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    };

    private static final Pattern QUEUED_FILE = Pattern.compile("(\\d{20})\\.json");
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;
    private final DirectorySync directorySync;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Path> found;
    private long nextSequence;

    private QueueFiles(Path dir, DirectorySync directorySync, FileChannel lockChannel, FileLock lock,
                       List<Path> found, long nextSequence) {
        this.dir = dir;
        this.directorySync = directorySync;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.found = List.copyOf(found);
        this.nextSequence = nextSequence;
    }

    /**
     * Creates the directory if missing, locks it, deletes writes a crash cut short and lists the queued events.
     *
     * @param dir           the queue directory
     * @param directorySync how directories are synced ({@link #FSYNC} outside tests)
     * @return the open directory; {@link #close()} it to release the lock
     * @throws IOException           if the directory cannot be created, listed or locked
     * @throws IllegalStateException if another user (in this or another process) holds its lock
     */
    public static QueueFiles open(Path dir, DirectorySync directorySync) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("another user (a WebhookNotifier or LocalBroker, in this or another"
                        + " process) holds the lock of the event queue " + dir);
            }
            List<Path> queued = new ArrayList<>();
            long next = 1;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    Matcher matcher = QUEUED_FILE.matcher(name);
                    if (matcher.matches()) {
                        queued.add(entry);
                        next = Math.max(next, Long.parseLong(matcher.group(1)) + 1);
                    } else if (name.endsWith(TEMP_SUFFIX)) {
                        // A write cut short by a crash: never renamed, so never acknowledged as queued.
                        Files.deleteIfExists(entry);
                    }
                }
            }
            Collections.sort(queued);
            return new QueueFiles(dir, directorySync, lockChannel, lock, queued, next);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    /** @return the queue directory */
    public Path dir() {
        return dir;
    }

    /** @return the events that were queued when the directory was opened, oldest first */
    public List<Path> found() {
        return found;
    }

    /**
     * Writes one event under the next sequence number: as {@code .tmp}, fsynced, renamed, directory fsynced.
     * Callers that keep their own order must call this under the lock that guards it. Only the number is taken
     * under this object's lock: concurrent callers write and fsync in parallel, which lets the file system commit
     * their journal entries together (on this machine 4 writers reach about 3 times the rate of one).
     *
     * @param body the bytes
     * @return the queued file, durable once this returns
     * @throws IOException if any step fails; nothing is then left queued (the number is not reused)
     */
    public Path append(byte[] body) throws IOException {
        long sequence;
        synchronized (this) {
            sequence = nextSequence++;
        }
        Path target = dir.resolve(String.format(Locale.ROOT, "%020d.json", sequence));
        Path temp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(body);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(false);
            }
            move(temp, target);
            directorySync.sync(dir);
        } catch (IOException e) {
            // Not durably queued (the sync may have failed after the rename): not queued at all, so the
            // caller's failure and a retry of the upload never leave a second copy behind.
            for (Path written : List.of(temp, target)) {
                try {
                    Files.deleteIfExists(written);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return target;
    }

    /**
     * Moves a queued event into {@code refused/} (created if missing), durably for both directories.
     *
     * @param file a queued event
     * @return its new path
     * @throws IOException if it cannot be moved or synced
     */
    public Path moveAside(Path file) throws IOException {
        Path refused = dir.resolve("refused");
        Files.createDirectories(refused);
        Path target = refused.resolve(file.getFileName());
        move(file, target);
        directorySync.sync(refused);
        directorySync.sync(dir);
        return target;
    }

    /**
     * Releases the lock. The queued files stay.
     *
     * @throws IOException if the lock file cannot be closed
     */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
