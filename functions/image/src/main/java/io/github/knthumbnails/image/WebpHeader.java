package io.github.knthumbnails.image;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/** Reads a WebP's RIFF chunks: the VP8X canvas, the first bitstream's size and the ANMF frames. */
final class WebpHeader {

    private WebpHeader() {
    }

    /**
     * @param b the whole source, starting with {@code RIFF....WEBP}
     * @return the header
     * @throws ImageRejectedException {@code corrupt} when the canvas is empty or the first frame is off it
     */
    static SourceHeader read(byte[] b) throws ImageRejectedException {
        int[] canvas = null; // VP8X: width, height
        int[] bitstream = null; // the first VP8/VP8L bitstream: width, height
        int[] frame = null; // the first ANMF: x, y, width, height
        int frames = 0;
        for (int pos = 12; pos + 8 <= b.length; ) {
            int size = Bytes.le32(b, pos + 4);
            int data = pos + 8;
            if (size < 0) {
                break;
            }
            if (Bytes.startsWith(b, pos, "VP8X")) {
                canvas = new int[] {Bytes.le24(b, data + 4) + 1, Bytes.le24(b, data + 7) + 1};
            } else if (Bytes.startsWith(b, pos, "ANMF")) {
                if (frames++ == 0) {
                    frame = new int[] {2 * Bytes.le24(b, data), 2 * Bytes.le24(b, data + 3),
                            Bytes.le24(b, data + 6) + 1,
                            Bytes.le24(b, data + 9) + 1};
                    // The frame's own chunks (ALPH, VP8, VP8L) follow its 16-byte header (WebP container, ANMF).
                    for (int sub = data + 16; sub + 8 <= Math.min(b.length, data + size) && bitstream == null; ) {
                        bitstream = bitstream(b, sub);
                        int subSize = Bytes.le32(b, sub + 4);
                        if (subSize < 0) {
                            break;
                        }
                        sub += 8 + subSize + (subSize & 1);
                    }
                }
            } else if (bitstream == null) {
                bitstream = bitstream(b, pos);
            }
            pos = data + size + (size & 1);
        }
        int[] size = canvas != null ? canvas : bitstream != null ? bitstream : new int[] {0, 0};
        // TwelveMonkeys' reader decodes at full size into 4-byte ARGB pixels however much it subsamples.
        SourceHeader h = SourceHeader.checked(new SourceHeader(SourceHeader.Format.WEBP, size[0], size[1],
                Math.max(1, frames), 1, null, frame == null ? 0 : frame[0], frame == null ? 0 : frame[1], 0,
                4L * size[0] * size[1]));
        // The decoders allocate the first frame at its own size (TwelveMonkeys: the ANMF bounds, else the
        // bitstream's), so neither may exceed the canvas the pixel limit was checked against.
        if (frame != null) {
            h = SourceHeader.withinCanvas(h, frame[2], frame[3]);
        }
        return bitstream == null ? h : SourceHeader.withinCanvas(h, bitstream[0], bitstream[1]);
    }

    /** @return the width and height of a {@code VP8 } or {@code VP8L} chunk at {@code pos}, else {@code null} */
    private static int[] bitstream(byte[] b, int pos) {
        int data = pos + 8;
        if (Bytes.startsWith(b, pos, "VP8 ")) {
            return new int[] {Bytes.le16(b, data + 6) & 0x3fff, Bytes.le16(b, data + 8) & 0x3fff};
        }
        if (Bytes.startsWith(b, pos, "VP8L")) {
            int bits = Bytes.le32(b, data + 1);
            return new int[] {(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1};
        }
        return null;
    }
}
