package io.github.knthumbnails.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The event queue's file operations, made durable the way a crash-safe queue must be (issue 8, finding 11): a
 * file's bytes are fsynced before its rename, and the directory after it — a rename is an update of the
 * directory, and until the directory is on disk a power cut can undo it (POSIX {@code rename(2)} and
 * {@code fsync(2)}; this is what MinIO's {@code queue_dir} store relies on the OS for). Thread-safe.
 */
final class QueueFiles {

    /** Makes a directory's entries durable. The seam lets tests see that it happens, and when. */
    @FunctionalInterface
    interface DirectorySync {

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
    static final DirectorySync FSYNC = directory -> {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    };

    private final DirectorySync directorySync;

    /**
     * @param directorySync how directories are synced ({@link #FSYNC} outside tests)
     */
    QueueFiles(DirectorySync directorySync) {
        this.directorySync = directorySync;
    }

    /**
     * Writes {@code body} to {@code temp}, forces it to disk, renames it to {@code target} (atomically where the
     * file system can) and forces the directory, so that once this returns the file survives a crash.
     *
     * @param temp   where to write first (same directory as {@code target})
     * @param target the final name
     * @param body   the bytes
     * @throws IOException if any step fails; {@code target} then may or may not exist, {@code temp} is removed
     */
    void writeDurably(Path temp, Path target, byte[] body) throws IOException {
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
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        directorySync.sync(target.getParent());
    }

    /**
     * Moves a file into another directory (created if missing), durably for both directories.
     *
     * @param file      the file
     * @param directory where it goes
     * @return its new path
     * @throws IOException if it cannot be moved or synced
     */
    Path moveInto(Path file, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve(file.getFileName());
        move(file, target);
        directorySync.sync(directory);
        directorySync.sync(file.getParent());
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
