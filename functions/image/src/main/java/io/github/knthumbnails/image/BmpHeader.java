package io.github.knthumbnails.image;

import io.github.knthumbnails.image.ImageRejectedException.Reason;

/**
 * Reads a BMP's file and DIB headers (BITMAPCOREHEADER, BITMAPINFOHEADER and its V4/V5 extensions): dimensions and
 * compression.
 *
 * <p>{@code BI_JPEG} (4) and {@code BI_PNG} (5) wrap a whole JPEG or PNG stream, which the JDK's BMP reader hands
 * to a JPEG or PNG reader at the stream's own size, whatever the BMP header declares: a 16x16 BMP could decode a
 * 20000x20000 JPEG (issue 8, finding 2). They are refused: they exist for printer drivers and almost never in
 * uploads, and refusing needs no second parser for the embedded stream.
 */
final class BmpHeader {

    /** {@code biCompression} values that embed another format's stream. */
    static final int BI_JPEG = 4;
    static final int BI_PNG = 5;

    private BmpHeader() {
    }

    /**
     * @param b the whole source, starting with {@code BM}, at least 26 bytes
     * @return the header
     * @throws ImageRejectedException {@code unsupported_format} for {@code BI_JPEG}/{@code BI_PNG};
     *                                {@code corrupt} when the header declares no pixels
     */
    static SourceHeader read(byte[] b) throws ImageRejectedException {
        int dibSize = Bytes.le32(b, 14);
        if (dibSize == 12) { // OS/2 BITMAPCOREHEADER: 16-bit dimensions, no compression field
            return SourceHeader.checked(new SourceHeader(SourceHeader.Format.BMP, Bytes.le16(b, 18), Bytes.le16(b, 20),
                    1, 1, null));
        }
        SourceHeader h = SourceHeader.checked(new SourceHeader(SourceHeader.Format.BMP, Math.abs(Bytes.le32(b, 18)),
                Math.abs(Bytes.le32(b, 22)), 1, 1, null));
        int compression = b.length >= 34 ? Bytes.le32(b, 30) : 0;
        if (compression == BI_JPEG || compression == BI_PNG) {
            throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT, "the BMP embeds a "
                    + (compression == BI_JPEG ? "JPEG (BI_JPEG)" : "PNG (BI_PNG)") + " stream, which is not"
                    + " supported: convert it to a plain JPEG or PNG");
        }
        return h;
    }
}
