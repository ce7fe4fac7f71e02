package io.github.knthumbnails.image;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/** Reads a PNG's IHDR (dimensions), its APNG {@code acTL} (frame count) and its {@code iCCP} profile. */
final class PngHeader {

    private PngHeader() {
    }

    /**
     * @param b the whole source, starting with the PNG signature
     * @return the header
     * @throws ImageRejectedException {@code corrupt} when IHDR is missing or declares no pixels
     */
    static SourceHeader read(byte[] b) throws ImageRejectedException {
        if (!Bytes.startsWith(b, 12, "IHDR")) {
            throw new ImageRejectedException(Reason.CORRUPT, "the PNG does not start with an IHDR chunk");
        }
        int width = Bytes.be32(b, 16);
        int height = Bytes.be32(b, 20);
        int[] acTL = chunk(b, "acTL"); // APNG animation control: the frame count comes first
        int frames = acTL != null && acTL[1] >= 8 ? Math.max(1, Bytes.be32(b, acTL[0])) : 1;
        return SourceHeader.checked(new SourceHeader(SourceHeader.Format.PNG, width, height, frames, 1, null));
    }

    /** The largest embedded ICC profile we inflate, in bytes; real ones are a few kB to a few hundred kB. */
    static final int MAX_ICC_BYTES = 4 << 20;

    /**
     * The ICC profile a PNG embeds in its {@code iCCP} chunk (PNG spec, 11.3.3.3: a profile name, a NUL, compression
     * method 0, then the zlib-compressed profile). The JDK's PNG reader parses the chunk but never applies it.
     *
     * @param b the whole PNG
     * @return the profile's bytes, or {@code null} when there is none, or it is malformed or over
     *         {@value #MAX_ICC_BYTES} bytes (then the pixels are taken as sRGB, as browsers do)
     */
    static byte[] iccProfile(byte[] b) {
        int[] iccp = chunk(b, "iCCP");
        if (iccp == null) {
            return null;
        }
        int end = iccp[0] + iccp[1];
        int nul = iccp[0];
        while (nul < end && b[nul] != 0) {
            nul++;
        }
        if (nul + 2 > end || b[nul + 1] != 0) {
            return null;
        }
        return inflate(b, nul + 2, end - nul - 2);
    }

    /**
     * Finds a chunk among those before a PNG's image data, where {@code acTL} and {@code iCCP} must sit (PNG spec
     * 5.6, APNG spec).
     *
     * @param b    the whole PNG
     * @param type the chunk type, e.g. {@code iCCP}
     * @return {offset of the chunk's data, its length in bytes}, or {@code null} when there is no such chunk before
     *         {@code IDAT} or the chunk list is cut short
     */
    private static int[] chunk(byte[] b, String type) {
        for (int pos = 8; pos + 8 <= b.length; ) {
            long length = Bytes.be32(b, pos) & 0xffffffffL;
            if (Bytes.startsWith(b, pos + 4, "IDAT") || pos + 12 + length > b.length) {
                return null;
            }
            if (Bytes.startsWith(b, pos + 4, type)) {
                return new int[] {pos + 8, (int) length};
            }
            pos += (int) length + 12;
        }
        return null;
    }

    private static byte[] inflate(byte[] b, int offset, int length) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, offset, length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_ICC_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
