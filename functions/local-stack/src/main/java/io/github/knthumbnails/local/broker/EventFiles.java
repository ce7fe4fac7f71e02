package io.github.knthumbnails.local.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.github.knthumbnails.local.QueueFiles;

/**
 * The Broker's durable queue: {@code <dataDir>/broker/}, one file per accepted event in structured JSON
 * (cloudevents/spec {@code formats/json-format.md}, so binary data survives as {@code data_base64}), written by
 * {@link QueueFiles} (fsync of the file, rename, fsync of the directory) and deleted once the event is delivered
 * or dead-lettered. Events that cannot be delivered anywhere are moved to {@code <dataDir>/broker/refused/}.
 * Thread-safe.
 */
final class EventFiles implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalBroker.class.getName());
    private static final EventFormat JSON = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    private final QueueFiles files;

    private EventFiles(QueueFiles files) {
        this.files = files;
    }

    /**
     * @param dir           the queue directory (created if missing)
     * @param directorySync how the directory is made durable
     * @return the open queue; {@link #close()} it
     * @throws IOException           if the directory cannot be created, listed or locked
     * @throws IllegalStateException if another Broker holds its lock
     */
    static EventFiles open(Path dir, QueueFiles.DirectorySync directorySync) throws IOException {
        return new EventFiles(QueueFiles.open(dir, directorySync));
    }

    /**
     * Hands over the events that were on disk at opening, oldest first; one that cannot be read as a CloudEvent
     * is moved to {@code refused/} (or left, if that fails) and logged.
     *
     * @param action receives each event's file and the event with the trace headers it came with
     * @return how many were found
     */
    int replay(BiConsumer<Path, TraceHeaders.Stored> action) {
        for (Path file : files.found()) {
            TraceHeaders.Stored event;
            try {
                event = load(file);
            } catch (IOException | RuntimeException e) {
                try {
                    LOG.log(System.Logger.Level.WARNING, "Stored event " + file + " is unreadable (" + e
                            + "); moved it to " + refuse(file));
                } catch (IOException moveFailed) {
                    LOG.log(System.Logger.Level.WARNING, "Stored event " + file + " is unreadable (" + e
                            + ") and could not be moved aside; it is left where it is", moveFailed);
                }
                continue;
            }
            action.accept(file, event);
        }
        return files.found().size();
    }

    /** @return the queue directory */
    Path dir() {
        return files.dir();
    }

    /**
     * @param event   an accepted event
     * @param headers the trace headers it came with, {@link TraceHeaders#NONE} for none
     * @return its file, durable once this returns
     * @throws IOException if it cannot be written and synced; nothing is then stored
     */
    Path store(CloudEvent event, TraceHeaders headers) throws IOException {
        return files.append(JSON.serialize(headers.addTo(event)));
    }

    /**
     * @param file a stored event
     * @return the event as it came in, and the trace headers it came with
     * @throws IOException if the file cannot be read
     * @throws io.cloudevents.core.format.EventDeserializationException if it is not a CloudEvent
     */
    static TraceHeaders.Stored load(Path file) throws IOException {
        return TraceHeaders.takeFrom(JSON.deserialize(Files.readAllBytes(file)));
    }

    /**
     * Forgets a delivered event. Not synced: a crash that undoes the deletion delivers the event again
     * (at least once).
     *
     * @param file a stored event
     * @throws IOException if it cannot be deleted
     */
    void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * @param file a stored event no destination will take
     * @return where it was moved
     * @throws IOException if it cannot be moved
     */
    Path refuse(Path file) throws IOException {
        return files.moveAside(file);
    }

    /** Releases the directory lock; the files stay. */
    @Override
    public void close() throws IOException {
        files.close();
    }
}
