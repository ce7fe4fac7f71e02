package io.github.knthumbnails.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The worst admitted inputs per format (issue 8, findings 3 and 12), for {@code /usr/bin/time -v} on a fresh JVM:
 * not a test, compiled by {@code ./mvnw verify}. Commands:
 * <ul>
 *   <li>{@code generate DIR}: writes each worst case (at most 50 MP and 50 MiB, so all pass default admission);</li>
 *   <li>{@code once FILE...}: renders each FILE once, in turn, in this JVM, with
 *       {@code thumb:100x100:cover:80,preview:640x640:fit:85} under the limits of the environment (defaults), and
 *       prints {@code outcome=} and {@code ms=} per file (several files: the memory of a process that serves one
 *       hostile upload after another).</li>
 * </ul>
 */
public final class WorstCaseBench {

    private static final int W = 8000;
    private static final int H = 6250; // 50 MP

    private WorstCaseBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("generate")) {
            generate(Path.of(args[1]));
            return;
        }
        ImageEngine engine = new ImageEngine(EngineSettings.from(System::getenv));
        System.out.println("decoder=" + engine.jpegDecoder());
        for (int i = 1; i < args.length; i++) {
            byte[] source = Files.readAllBytes(Path.of(args[i]));
            long start = System.nanoTime();
            String outcome;
            try {
                engine.render(source, RenditionSpec.parseList("thumb:100x100:cover:80,preview:640x640:fit:85"));
                outcome = "rendered";
            } catch (ImageRejectedException e) {
                outcome = e.reason().errorClass() + ": " + e.getMessage();
            }
            System.out.printf(Locale.ROOT, "file=%s%noutcome=%s%nms=%.0f%n", Path.of(args[i]).getFileName(), outcome,
                    (System.nanoTime() - start) / 1e6);
        }
    }

    private static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] prog = jpeg(W, H, true, false, 16);
        write(dir, "jpeg-progressive-420-50mp.jpg", prog);
        write(dir, "jpeg-progressive-420-50mp-noisy-most-scans.jpg", mostScans(prog));
        write(dir, "jpeg-progressive-420-50mp-flat-most-scans.jpg", mostScans(jpeg(W, H, true, false, 0)));
        // 26.6 MP at 4:4:4: 159.7 MB of coefficients, just within 3.2 bytes x 50 MP
        write(dir, "jpeg-progressive-444-27mp-flat-most-scans.jpg", mostScans(jpeg(6400, 4150, true, true, 0)));
        write(dir, "jpeg-progressive-444-27mp-noisy-most-scans.jpg", mostScans(jpeg(6400, 4150, true, true, 16)));
        write(dir, "jpeg-baseline-444-50mp.jpg", jpeg(W, H, false, true, 16));
        write(dir, "png-rgba16-50mp.png", png(W, H, 6, 16));
        write(dir, "png-rgba8-50mp.png", png(W, H, 6, 8));
        write(dir, "gif-50mp.gif", TestImages.write(new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED), "gif"));
        write(dir, "bmp-rle8-50mp.bmp", bmpRle8(W, H));
        write(dir, "tiff-rgb8-50mp-64mib-strips.tif", tiffDeflate(W, H, 3, 8));
        write(dir, "tiff-grey16-50mp-64mib-strips.tif", tiffDeflate(W, H, 1, 16));
        // 40 MP: a 160 MB raster, just within 3.2 bytes x 50 MP; 38 bytes whose data ends at once
        write(dir, "webp-lossless-40mp.webp", TestImages.webp(vp8lFlat(8000, 5000)));
        write(dir, "hostile-webp-lossless-50mp.webp", TestImages.webp(vp8lFlat(W, H)));
        // The hostile files of findings 2 and 3, which admission refuses
        write(dir, "hostile-bmp-embedding-40000x40000-jpeg.bmp", HostileImages.bmpEmbedding(16, 16,
                BmpHeader.BI_JPEG, HostileImages.jpegClaiming(40000, 40000)));
        write(dir, "hostile-tiff-16x16-one-8192-tile.tif", HostileImages.tiffWithOneTile(16, 16, 8192));
        write(dir, "hostile-tiff-jpeg.tif", HostileImages.jpegTiff(16, 16, prog));
        byte[] small = HostileImages.progressiveJpeg(1024, 1024);
        write(dir, "hostile-jpeg-13000-scans.jpg", HostileImages.withScansRepeated(small,
                13_000 / JpegHeader.scans(small, 0)));
    }

    /** {@code jpeg}'s scans repeated as often as MAX_SCANS and MAX_IMAGE_BYTES (50 MiB) allow. */
    private static byte[] mostScans(byte[] jpeg) {
        int copies = Math.min(Admission.MAX_SCANS / JpegHeader.scans(jpeg, 0), (int) ((50L << 20) / jpeg.length));
        return HostileImages.withScansRepeated(jpeg, Math.max(1, copies));
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes);
        System.out.printf(Locale.ROOT, "%s %d bytes%n", name, bytes.length);
    }

    /** A gradient with noise (flat grey at level 0) as a q90 JPEG, progressive or baseline, 4:4:4 or 4:2:0. */
    private static byte[] jpeg(int w, int h, boolean progressive, boolean yuv444, int noiseLevel)
            throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        java.util.Random random = new java.util.Random(8);
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int noise = noiseLevel == 0 ? 0 : random.nextInt(noiseLevel);
                data[i++] = (byte) (noiseLevel == 0 ? 128 : x * 255 / w + noise);
                data[i++] = (byte) (noiseLevel == 0 ? 128 : y * 255 / h + noise);
                data[i++] = (byte) (128 + noise);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                param);
        if (yuv444) {
            Element tree = (Element) metadata.getAsTree("javax_imageio_jpeg_image_1.0");
            NodeList specs = tree.getElementsByTagName("componentSpec");
            for (int i = 0; i < specs.getLength(); i++) {
                ((Element) specs.item(i)).setAttribute("HsamplingFactor", "1");
                ((Element) specs.item(i)).setAttribute("VsamplingFactor", "1");
            }
            metadata.setFromTree("javax_imageio_jpeg_image_1.0", tree);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A PNG of zeros (colour type, bit depth as given), written by hand: IHDR, one IDAT, IEND. */
    private static byte[] png(int w, int h, int colourType, int depth) {
        int channels = colourType == 6 ? 4 : colourType == 2 ? 3 : 1;
        byte[] row = new byte[1 + w * channels * depth / 8];
        Deflater deflater = new Deflater(9);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < h; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buffer, 0, deflater.deflate(buffer));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        ihdr.writeBytes(be(w));
        ihdr.writeBytes(be(h));
        ihdr.writeBytes(new byte[] {(byte) depth, (byte) colourType, 0, 0, 0});
        pngChunk(out, "IHDR", ihdr.toByteArray());
        pngChunk(out, "IDAT", idat.toByteArray());
        pngChunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(be(data.length));
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(be((int) crc.getValue()));
    }

    private static byte[] be(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** An 8-bit RLE8 BMP whose every row is an end-of-line code: 2 bytes per row, 50 MP of palette index 0. */
    private static byte[] bmpRle8(int w, int h) {
        ByteArrayOutputStream rle = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            rle.writeBytes(new byte[] {0, 0});
        }
        rle.writeBytes(new byte[] {0, 1});
        byte[] data = rle.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 54 + 1024;
        out.writeBytes(new byte[] {'B', 'M'});
        out.writeBytes(TestImages.le(offset + data.length, 4));
        out.writeBytes(TestImages.le(0, 4));
        out.writeBytes(TestImages.le(offset, 4));
        out.writeBytes(TestImages.le(40, 4));
        out.writeBytes(TestImages.le(w, 4));
        out.writeBytes(TestImages.le(h, 4));
        out.writeBytes(TestImages.le(1, 2));
        out.writeBytes(TestImages.le(8, 2));
        out.writeBytes(TestImages.le(1, 4)); // BI_RLE8
        out.writeBytes(TestImages.le(data.length, 4));
        out.writeBytes(TestImages.le(0, 4));
        out.writeBytes(TestImages.le(0, 4));
        out.writeBytes(TestImages.le(256, 4));
        out.writeBytes(TestImages.le(0, 4));
        out.writeBytes(new byte[1024]); // palette
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** A Deflate-compressed TIFF of zeros in strips as large as admission allows (64 MiB). */
    private static byte[] tiffDeflate(int w, int h, int samples, int bits) {
        Deflater deflater = new Deflater(9);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] row = new byte[w * samples * bits / 8];
        int rows = (int) Math.min(h, TiffHeader.MAX_UNIT_BYTES / row.length);
        int strips = (h + rows - 1) / rows;
        byte[] buffer = new byte[1 << 16];
        for (int y = 0; y < rows; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                z.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            z.write(buffer, 0, deflater.deflate(buffer));
        }
        byte[] data = z.toByteArray();
        long[] bps = new long[samples];
        java.util.Arrays.fill(bps, bits);
        long[] offsets = new long[strips];
        long[] counts = new long[strips];
        java.util.Arrays.fill(offsets, -1); // every strip is the same stream
        java.util.Arrays.fill(counts, data.length);
        return HostileImages.tiff(java.util.Map.of(256, new long[] {w}, 257, new long[] {h}, 258, bps,
                259, new long[] {8}, 262, new long[] {samples == 3 ? 2 : 1}, 277, new long[] {samples},
                278, new long[] {rows}, 273, offsets, 279, counts), data);
    }

    /**
     * A lossless WebP bitstream (VP8L) of one colour: no transforms, no colour cache, and five single-symbol
     * prefix codes, so every pixel takes 0 bits and a few bytes describe any size (WebP lossless spec, 3.7.2.1.1).
     */
    static byte[] vp8lFlat(int w, int h) {
        BitWriter bits = new BitWriter();
        bits.write(0x2f, 8);
        bits.write(w - 1, 14);
        bits.write(h - 1, 14);
        bits.write(1, 1); // alpha used
        bits.write(0, 3); // version
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no colour cache
        bits.write(0, 1); // no meta prefix codes
        int[] symbols = {0, 0, 0, 255, 0}; // green, red, blue, alpha, distance
        for (int s : symbols) {
            bits.write(1, 1); // simple code
            bits.write(0, 1); // one symbol
            bits.write(1, 1); // 8-bit symbol
            bits.write(s, 8);
        }
        return TestImages.chunk("VP8L", bits.bytes());
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int n;

        void write(int value, int count) {
            acc |= (long) (value & ((1 << count) - 1)) << n;
            n += count;
            while (n >= 8) {
                out.write((int) acc & 0xff);
                acc >>>= 8;
                n -= 8;
            }
        }

        byte[] bytes() {
            if (n > 0) {
                out.write((int) acc & 0xff);
            }
            out.writeBytes(new byte[4]);
            return out.toByteArray();
        }
    }
}
