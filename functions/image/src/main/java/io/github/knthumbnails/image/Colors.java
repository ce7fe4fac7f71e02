package io.github.knthumbnails.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;

/**
 * Colour conversions to sRGB: CMYK (with the embedded ICC profile when there is one, else the naive formula every
 * viewer without colour management uses) and embedded non-sRGB RGB profiles (e.g. Display P3 from phones, Adobe
 * RGB from cameras). Conversions go through the JDK's colour management (LittleCMS), which is deterministic.
 */
final class Colors {

    private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);

    private Colors() {
    }

    /**
     * @param icc an embedded ICC profile, may be {@code null}
     * @return the profile's colour space, or {@code null} when absent, unreadable, or not of {@code type}; a profile
     *         that parses but cannot be converted from is ignored later, by the conversions
     */
    static ICC_ColorSpace profile(byte[] icc, int type) {
        if (icc == null) {
            return null;
        }
        try {
            ICC_ColorSpace cs = new ICC_ColorSpace(ICC_Profile.getInstance(icc));
            return cs.getType() == type ? cs : null;
        } catch (RuntimeException e) { // IllegalArgumentException, CMMException
            return null; // a broken profile is ignored, as browsers do
        }
    }

    /**
     * @param icc an embedded ICC profile, may be {@code null}
     * @return the RGB colour space to convert from, or {@code null} when there is nothing to convert (no profile,
     *         not an RGB profile, unreadable, or a profile of sRGB itself)
     */
    static ICC_ColorSpace nonSrgb(byte[] icc) {
        ICC_ColorSpace cs = profile(icc, ColorSpace.TYPE_RGB);
        if (cs == null) {
            return null;
        }
        return isSrgb(cs.getProfile()) ? null : cs;
    }

    /**
     * A profile is taken as sRGB when its colorants match sRGB's and its tone curve is not linear: this catches the
     * many sRGB profiles cameras and editors embed (IEC61966-2.1, "c2", v4) without converting through each.
     */
    private static boolean isSrgb(ICC_Profile profile) {
        ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
        for (int tag : new int[] {ICC_Profile.icSigRedColorantTag, ICC_Profile.icSigGreenColorantTag,
                ICC_Profile.icSigBlueColorantTag}) {
            byte[] ours = profile.getData(tag);
            byte[] reference = srgb.getData(tag);
            if (ours == null || ours.length < 20) {
                return false;
            }
            for (int i = 8; i < 20; i += 4) {
                if (Math.abs(s15Fixed16(ours, i) - s15Fixed16(reference, i)) > 0.003) {
                    return false;
                }
            }
        }
        byte[] trc = profile.getData(ICC_Profile.icSigRedTRCTag);
        boolean linear = trc != null && trc.length >= 14 && "curv".equals(new String(trc, 0, 4,
                StandardCharsets.ISO_8859_1)) && s32(trc, 8) == 1 && (trc[12] & 0xff) == 1 && trc[13] == 0;
        return !linear;
    }

    private static int s32(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }

    private static double s15Fixed16(byte[] b, int p) {
        return s32(b, p) / 65536.0;
    }

    /**
     * Converts CMYK samples to RGB.
     *
     * @param cmyk     4 bytes per pixel
     * @param inverted whether the samples are stored inverted (Adobe APP14 JPEGs: 255 = no ink)
     * @param profile  the embedded CMYK profile, or {@code null} for the naive conversion (also used when LittleCMS
     *                 cannot convert from the profile)
     * @return 3 bytes per pixel, sRGB
     */
    static Pixels cmykToRgb(byte[] cmyk, int width, int height, boolean inverted, ICC_ColorSpace profile) {
        byte[] rgb = new byte[width * height * 3];
        if (profile != null && convert(profile, inverted ? invert(cmyk) : cmyk, 4, SRGB, rgb, 3, width, height)) {
            return new Pixels(width, height, 3, rgb);
        }
        for (int i = 0, o = 0; i < cmyk.length; i += 4) {
            int k = inverted ? cmyk[i + 3] & 0xff : 255 - (cmyk[i + 3] & 0xff);
            for (int c = 0; c < 3; c++) {
                int v = inverted ? cmyk[i + c] & 0xff : 255 - (cmyk[i + c] & 0xff);
                rgb[o++] = (byte) ((v * k + 127) / 255);
            }
        }
        return new Pixels(width, height, 3, rgb);
    }

    /**
     * Turns YCCK samples into CMYK in place, as libjpeg does: CMY = 255 - RGB of the YCbCr triple (JFIF / ITU-R
     * BT.601 full range), K unchanged.
     *
     * @param ycck 4 bytes per pixel
     */
    static void ycckToCmyk(byte[] ycck) {
        for (int i = 0; i < ycck.length; i += 4) {
            double y = ycck[i] & 0xff;
            double cb = (ycck[i + 1] & 0xff) - 128;
            double cr = (ycck[i + 2] & 0xff) - 128;
            ycck[i] = (byte) (255 - clamp(y + 1.402 * cr));
            ycck[i + 1] = (byte) (255 - clamp(y - 0.344136 * cb - 0.714136 * cr));
            ycck[i + 2] = (byte) (255 - clamp(y + 1.772 * cb));
        }
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * @param rgb  RGB, or RGBA with premultiplied colour (alpha is kept), in {@code from}
     * @param from the source's RGB colour space
     * @return the same pixels in sRGB, or {@code rgb} itself when LittleCMS cannot convert from {@code from}
     *         (the profile is ignored, as browsers do)
     */
    static Pixels toSrgb(Pixels rgb, ICC_ColorSpace from) {
        if (rgb.channels() == 4) {
            return rgbaToSrgb(rgb, from);
        }
        byte[] out = new byte[rgb.data().length];
        return convert(from, rgb.data(), 3, SRGB, out, 3, rgb.width(), rgb.height())
                ? new Pixels(rgb.width(), rgb.height(), 3, out) : rgb;
    }

    /** Converts the colour of premultiplied RGBA: un-premultiply, convert, premultiply again; alpha is kept. */
    private static Pixels rgbaToSrgb(Pixels rgba, ICC_ColorSpace from) {
        byte[] d = rgba.data();
        int n = rgba.width() * rgba.height();
        byte[] colour = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            int a = d[i * 4 + 3] & 0xff;
            for (int c = 0; c < 3; c++) {
                int v = d[i * 4 + c] & 0xff;
                colour[i * 3 + c] = (byte) (a == 0 ? 0 : Math.min(255, (v * 255 + a / 2) / a));
            }
        }
        byte[] converted = new byte[colour.length];
        if (!convert(from, colour, 3, SRGB, converted, 3, rgba.width(), rgba.height())) {
            return rgba;
        }
        byte[] out = new byte[d.length];
        for (int i = 0; i < n; i++) {
            int a = d[i * 4 + 3] & 0xff;
            for (int c = 0; c < 3; c++) {
                out[i * 4 + c] = (byte) (((converted[i * 3 + c] & 0xff) * a + 127) / 255);
            }
            out[i * 4 + 3] = (byte) a;
        }
        return new Pixels(rgba.width(), rgba.height(), 4, out);
    }

    private static byte[] invert(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) ~b[i];
        }
        return out;
    }

    /**
     * @return {@code false} when LittleCMS refuses the conversion: a profile can parse yet lack what a transform
     *         needs (e.g. no tone curves), which fails only here, with a {@link java.awt.color.CMMException}
     */
    private static boolean convert(ColorSpace fromCs, byte[] from, int fromBands, ColorSpace toCs, byte[] to,
                                   int toBands, int width, int height) {
        Raster src = raster(from, fromBands, width, height);
        WritableRaster dst = raster(to, toBands, width, height);
        try {
            new ColorConvertOp(fromCs, toCs, null).filter(src, dst);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static WritableRaster raster(byte[] data, int bands, int width, int height) {
        int[] offsets = new int[bands];
        for (int i = 0; i < bands; i++) {
            offsets[i] = i;
        }
        return Raster.createInterleavedRaster(new DataBufferByte(data, data.length), width, height, width * bands,
                bands, offsets, null);
    }
}
