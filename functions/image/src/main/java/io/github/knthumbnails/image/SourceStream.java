package io.github.knthumbnails.image;

import java.io.IOException;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * The source bytes as ImageIO readers see them, with two bounds on the work a reader can do (issue 8, finding 3):
 * <ul>
 *   <li>reads past the end are counted, and after {@value #MAX_READS_PAST_END} the next one fails with an
 *       {@link IIOException} (not an {@link java.io.EOFException}, which some readers swallow and retry: TwelveMonkeys'
 *       WebP bit reader then spends an exception per pixel, so a 38-byte lossless WebP declaring 50 MP ran for
 *       minutes);</li>
 *   <li>every {@value #CHECK_EVERY} reads the {@link Deadline} is checked, and once it has passed every read throws
 *       {@link Deadline.Passed}, so a pure-Java decoder stops mid-image.</li>
 * </ul>
 */
final class SourceStream extends ImageInputStreamImpl {

    /** Reads past the end a reader may make, plenty for look-ahead at the end of a well-formed file. */
    static final int MAX_READS_PAST_END = 4096;
    private static final int CHECK_EVERY = 1024;

    private final byte[] data;
    private final Deadline deadline;
    private int pastEnd;
    private int calls;
    private boolean expired;

    /**
     * @param data     the whole source
     * @param deadline the render's deadline, or {@code null} for none
     */
    SourceStream(byte[] data, Deadline deadline) {
        this.data = data;
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        if (!available()) {
            return -1;
        }
        bitOffset = 0;
        return data[(int) streamPos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!available()) {
            return -1;
        }
        bitOffset = 0;
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }

    private boolean available() throws IOException {
        if (expired || deadline != null && ++calls % CHECK_EVERY == 0 && deadline.passed()) {
            expired = true; // every later read fails too, should a reader swallow one
            throw new Deadline.Passed();
        }
        if (streamPos < data.length) {
            return true;
        }
        if (++pastEnd > MAX_READS_PAST_END) {
            throw new IIOException("the decoder read past the end of the data " + MAX_READS_PAST_END
                    + " times: the image is truncated");
        }
        return false;
    }
}
