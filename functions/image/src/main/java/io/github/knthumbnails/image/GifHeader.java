package io.github.knthumbnails.image;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/** Reads a GIF's logical screen (dimensions), counts its frames and finds the first frame's bounds. */
final class GifHeader {

    private GifHeader() {
    }

    /**
     * @param b the whole source, starting with {@code GIF87a} or {@code GIF89a}
     * @return the header
     * @throws ImageRejectedException {@code corrupt} when the screen is empty or the first frame is off it
     */
    static SourceHeader read(byte[] b) throws ImageRejectedException {
        int width = Bytes.le16(b, 6);
        int height = Bytes.le16(b, 8);
        int frames = 0;
        int frameX = 0;
        int frameY = 0;
        int frameW = 0;
        int frameH = 0;
        int pos = 13;
        if ((b[10] & 0x80) != 0) {
            pos += 3 << ((b[10] & 7) + 1); // global colour table
        }
        // Count image descriptors, skipping extensions and LZW data sub-blocks (GIF89a spec, 17-23).
        while (pos < b.length) {
            int block = b[pos] & 0xff;
            if (block == 0x3B) {
                break;
            } else if (block == 0x21) {
                pos = skipSubBlocks(b, pos + 2);
            } else if (block == 0x2C) {
                if (frames++ == 0) {
                    frameX = Bytes.le16(b, pos + 1);
                    frameY = Bytes.le16(b, pos + 3);
                    frameW = Bytes.le16(b, pos + 5);
                    frameH = Bytes.le16(b, pos + 7);
                }
                int flags = b[pos + 9] & 0xff;
                pos += 10;
                if ((flags & 0x80) != 0) {
                    pos += 3 << ((flags & 7) + 1);
                }
                pos = skipSubBlocks(b, pos + 1);
            } else {
                break;
            }
        }
        SourceHeader h = SourceHeader.checked(new SourceHeader(SourceHeader.Format.GIF, width, height,
                Math.max(1, frames), 1, null, frameX, frameY));
        return SourceHeader.withinCanvas(h, frameW, frameH);
    }

    private static int skipSubBlocks(byte[] b, int pos) {
        while (pos < b.length && b[pos] != 0) {
            pos += (b[pos] & 0xff) + 1;
        }
        return pos + 1;
    }
}
