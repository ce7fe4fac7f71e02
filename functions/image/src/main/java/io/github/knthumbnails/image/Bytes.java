package io.github.knthumbnails.image;

/** Byte-order helpers shared by the header readers; each reads at an offset and throws on a short array. */
final class Bytes {

    private Bytes() {
    }

    /** @return whether {@code b} holds the ASCII {@code ascii} at {@code offset} */
    static boolean startsWith(byte[] b, int offset, String ascii) {
        if (b.length < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if ((b[offset + i] & 0xff) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int be16(byte[] b, int p) {
        return (b[p] & 0xff) << 8 | (b[p + 1] & 0xff);
    }

    static int be32(byte[] b, int p) {
        return be16(b, p) << 16 | be16(b, p + 2);
    }

    static int le16(byte[] b, int p) {
        return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
    }

    static int le24(byte[] b, int p) {
        return le16(b, p) | (b[p + 2] & 0xff) << 16;
    }

    static int le32(byte[] b, int p) {
        return le16(b, p) | le16(b, p + 2) << 16;
    }

    static int u16(byte[] b, int p, boolean little) {
        return little ? le16(b, p) : be16(b, p);
    }

    static long u32(byte[] b, int p, boolean little) {
        return (little ? le32(b, p) : be32(b, p)) & 0xffffffffL;
    }
}
