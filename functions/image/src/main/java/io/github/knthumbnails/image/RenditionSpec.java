package io.github.knthumbnails.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured rendition: what to produce from every source image.
 *
 * @param name      lower-case {@code [a-z0-9-]}, 1-32 characters; part of the rendition's key
 * @param width     box width in pixels, 1-8192
 * @param height    box height in pixels, 1-8192
 * @param mode      how the image is placed in the box
 * @param quality   JPEG quality, 1-100
 * @param format    the output format; {@link Format#PNG} applies only to sources with transparency
 * @param gravity   which part of the image a {@link Mode#COVER} crop keeps; {@link Gravity#CENTER} for
 *                  {@link Mode#FIT} (issue 13)
 * @param grayscale whether the rendition is grey (Rec. 601 luma, the conversion Pillow and libjpeg use)
 * @param blur      the Gaussian blur's sigma in output pixels, 0 for none, at most {@value #MAX_BLUR}
 */
public record RenditionSpec(String name, int width, int height, Mode mode, int quality, Format format,
                            Gravity gravity, boolean grayscale, double blur) {

    /** Environment variable holding the rendition list; default {@value #DEFAULT}. */
    public static final String RENDITIONS = "RENDITIONS";
    /** One 100×100 centre-cropped JPEG at quality 80. */
    public static final String DEFAULT = "thumb:100x100:cover:80";
    /** The largest blur sigma, in output pixels: blurring costs time in proportion to it. */
    public static final double MAX_BLUR = 50;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern ENTRY = Pattern.compile(
            "([^:]+):(\\d{1,5})x(\\d{1,5})(?::(cover|fit))?(?::(\\d{1,3}))?(?::(jpeg|png))?((?::[^:]*)*)");
    private static final Pattern BLUR = Pattern.compile("blur=(\\d{1,2}(?:\\.\\d{1,2})?)");
    private static final String OPERATIONS = "grayscale, blur=<sigma in output pixels> or gravity="
            + "center|north|south|east|west|northeast|northwest|southeast|southwest|smart";
    private static final int MAX_SIDE = 8192;

    /** How an image is placed in the box. */
    public enum Mode {
        /** Scale to fill the box, crop the overflow (where: {@link Gravity}): output is exactly width×height. */
        COVER,
        /** Scale to fit inside the box keeping the aspect ratio: output is at most width×height. */
        FIT
    }

    /** The output format. */
    public enum Format {
        /** Always a baseline JPEG; transparency is flattened onto {@code IMAGE_BACKGROUND}. */
        JPEG,
        /** A PNG with an alpha channel when the source has transparent pixels, otherwise a JPEG. */
        PNG
    }

    /**
     * A JPEG rendition with no operations.
     *
     * @param name    see the record
     * @param width   box width in pixels
     * @param height  box height in pixels
     * @param mode    placement in the box
     * @param quality JPEG quality
     */
    public RenditionSpec(String name, int width, int height, Mode mode, int quality) {
        this(name, width, height, mode, quality, Format.JPEG);
    }

    /**
     * A rendition with no operations: centred, in colour, sharp.
     *
     * @param name    see the record
     * @param width   box width in pixels
     * @param height  box height in pixels
     * @param mode    placement in the box
     * @param quality JPEG quality
     * @param format  output format
     */
    public RenditionSpec(String name, int width, int height, Mode mode, int quality, Format format) {
        this(name, width, height, mode, quality, format, Gravity.CENTER, false, 0);
    }

    /**
     * @throws IllegalArgumentException if a value is out of range, with the allowed range in the message
     */
    public RenditionSpec {
        java.util.Objects.requireNonNull(mode, "mode");
        java.util.Objects.requireNonNull(format, "format");
        java.util.Objects.requireNonNull(gravity, "gravity");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rendition name '" + name + "' must be 1-32 characters of a-z, 0-9 and"
                    + " '-', starting with a letter or digit");
        }
        if (width < 1 || width > MAX_SIDE || height < 1 || height > MAX_SIDE) {
            throw new IllegalArgumentException("rendition '" + name + "': box " + width + "x" + height
                    + " must be 1 to " + MAX_SIDE + " pixels on each side");
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("rendition '" + name + "': quality " + quality + " must be 1 to 100");
        }
        if (mode == Mode.FIT && gravity != Gravity.CENTER) {
            throw new IllegalArgumentException("rendition '" + name + "': gravity=" + gravity.token()
                    + " needs a cover rendition (a fit rendition crops nothing)");
        }
        if (!(blur == 0 || blur >= 0.1 && blur <= MAX_BLUR)) {
            throw new IllegalArgumentException("rendition '" + name + "': blur=" + blur + " must be 0.1 to "
                    + (int) MAX_BLUR + " (sigma in output pixels)");
        }
    }

    /**
     * What makes this rendition's pixels, without its name, in one canonical spelling:
     * {@code WIDTHxHEIGHT:mode:quality:format}, then {@code :grayscale}, {@code :blur=<sigma>} and
     * {@code :gravity=<gravity>} when set, e.g. {@code 200x200:cover:85:jpeg:gravity=smart}. The job record stores
     * it beside each rendition, so status and {@code scripts/backfill.sh} can tell which renditions an older
     * {@code RENDITIONS} made (issue 13).
     *
     * @return the fingerprint, at most ~60 printable ASCII characters
     */
    public String fingerprint() {
        StringBuilder s = new StringBuilder().append(width).append('x').append(height).append(':')
                .append(mode.name().toLowerCase(Locale.ROOT)).append(':').append(quality).append(':')
                .append(format.name().toLowerCase(Locale.ROOT));
        if (grayscale) {
            s.append(":grayscale");
        }
        if (blur > 0) {
            s.append(":blur=").append(java.math.BigDecimal.valueOf(blur).stripTrailingZeros().toPlainString());
        }
        if (gravity != Gravity.CENTER) {
            s.append(":gravity=").append(gravity.token());
        }
        return s.toString();
    }

    /**
     * The profile a job record is compared with (issue 13): what {@link #fingerprint} each named rendition has.
     * resize stores it per rendition and {@code scripts/backfill.sh} selects the uploads whose record differs.
     *
     * @param specs a parsed {@code RENDITIONS} list
     * @return rendition name to fingerprint, in list order
     */
    public static Map<String, String> profile(List<RenditionSpec> specs) {
        Map<String, String> profile = new LinkedHashMap<>();
        specs.forEach(spec -> profile.put(spec.name(), spec.fingerprint()));
        return Collections.unmodifiableMap(profile);
    }

    /**
     * Parses the {@code RENDITIONS} list: comma-separated entries
     * {@code name:WIDTHxHEIGHT[:cover|fit][:quality][:jpeg|png][:operation]...}, e.g.
     * {@code thumb:100x100:cover:80,grey:100x100:cover:80:grayscale,smart:200x200:cover:85:gravity=smart}. Mode
     * defaults to {@code cover}, quality to 80, format to {@code jpeg}; {@code png} means "PNG when the source has
     * transparency, JPEG otherwise". Operations, each at most once, in any order (issue 13): {@code grayscale};
     * {@code blur=<sigma>}, a Gaussian blur with that sigma in output pixels (0.1-50, up to two decimals);
     * {@code gravity=center|north|south|east|west|northeast|northwest|southeast|southwest|smart}, which part a
     * cover crop keeps.
     *
     * @param text the list; {@code null} or blank means {@value #DEFAULT}
     * @return the specs in order
     * @throws IllegalArgumentException if an entry does not parse, a value is out of range, an operation is unknown
     *                                  or repeated, or a name repeats
     */
    public static List<RenditionSpec> parseList(String text) {
        String list = text == null || text.isBlank() ? DEFAULT : text;
        List<RenditionSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : list.split(",")) {
            Matcher m = ENTRY.matcher(entry.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(RENDITIONS + " entry '" + entry.strip() + "' must look like"
                        + " name:WIDTHxHEIGHT[:cover|fit][:quality][:jpeg|png][:operation]..., e.g."
                        + " thumb:100x100:cover:80");
            }
            String name = m.group(1);
            Gravity gravity = null;
            Boolean grayscale = null;
            Double blur = null;
            for (String op : m.group(7).isEmpty() ? new String[0] : m.group(7).substring(1).split(":", -1)) {
                Matcher b = BLUR.matcher(op);
                String repeated = null;
                if (op.equals("grayscale")) {
                    repeated = grayscale != null ? op : null;
                    grayscale = true;
                } else if (b.matches()) {
                    repeated = blur != null ? "blur" : null;
                    blur = Double.parseDouble(b.group(1));
                    if (blur == 0) { // 0 means "no blur" inside the record; written out, it is a mistake
                        throw new IllegalArgumentException("rendition '" + name + "': blur=" + b.group(1)
                                + " must be 0.1 to " + (int) MAX_BLUR + " (sigma in output pixels)");
                    }
                } else if (op.startsWith("gravity=")) {
                    repeated = gravity != null ? "gravity" : null;
                    gravity = gravity(name, op.substring("gravity=".length()));
                } else {
                    throw unknownOperation(entry.strip(), op);
                }
                if (repeated != null) {
                    throw new IllegalArgumentException(RENDITIONS + " entry '" + entry.strip() + "' sets " + repeated
                            + " twice");
                }
            }
            RenditionSpec spec = new RenditionSpec(name, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    m.group(4) == null ? Mode.COVER : Mode.valueOf(m.group(4).toUpperCase(Locale.ROOT)),
                    m.group(5) == null ? 80 : Integer.parseInt(m.group(5)),
                    m.group(6) == null ? Format.JPEG : Format.valueOf(m.group(6).toUpperCase(Locale.ROOT)),
                    gravity == null ? Gravity.CENTER : gravity, grayscale != null, blur == null ? 0 : blur);
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException(RENDITIONS + " names rendition '" + spec.name() + "' twice");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    private static IllegalArgumentException unknownOperation(String entry, String op) {
        String hint = op.startsWith("grey") ? " (spelled grayscale)"
                : op.startsWith("blur") ? " (blur takes a sigma, such as blur=2 or blur=0.5)" : "";
        return new IllegalArgumentException(RENDITIONS + " entry '" + entry + "': unknown operation '" + op + "'; "
                + "name:WIDTHxHEIGHT[:cover|fit][:quality][:jpeg|png] come first, in that order, then any of "
                + OPERATIONS + hint);
    }

    private static Gravity gravity(String name, String value) {
        for (Gravity g : Gravity.values()) {
            if (g.token().equals(value)) {
                return g;
            }
        }
        throw new IllegalArgumentException("rendition '" + name + "': gravity '" + value + "' must be one of center,"
                + " north, south, east, west, northeast, northwest, southeast, southwest, smart");
    }
}
