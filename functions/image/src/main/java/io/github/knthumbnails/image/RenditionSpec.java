package io.github.knthumbnails.image;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configured rendition: what to produce from every source image.
 *
 * @param name    lower-case {@code [a-z0-9-]}, 1-32 characters; part of the rendition's key
 * @param width   box width in pixels, 1-8192
 * @param height  box height in pixels, 1-8192
 * @param mode    how the image is placed in the box
 * @param quality JPEG quality, 1-100
 * @param format  the output format; {@link Format#PNG} applies only to sources with transparency
 */
public record RenditionSpec(String name, int width, int height, Mode mode, int quality, Format format) {

    /** Environment variable holding the rendition list; default {@value #DEFAULT}. */
    public static final String RENDITIONS = "RENDITIONS";
    /** One 100×100 centre-cropped JPEG at quality 80. */
    public static final String DEFAULT = "thumb:100x100:cover:80";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern ENTRY = Pattern.compile(
            "([^:]+):(\\d{1,5})x(\\d{1,5})(?::(cover|fit))?(?::(\\d{1,3}))?(?::(jpeg|png))?");
    private static final int MAX_SIDE = 8192;

    /** How an image is placed in the box. */
    public enum Mode {
        /** Scale to fill the box, centre-crop the overflow: output is exactly width×height. */
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
     * A JPEG rendition.
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
     * @throws IllegalArgumentException if a value is out of range, with the allowed range in the message
     */
    public RenditionSpec {
        java.util.Objects.requireNonNull(mode, "mode");
        java.util.Objects.requireNonNull(format, "format");
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
    }

    /**
     * Parses the {@code RENDITIONS} list: comma-separated entries
     * {@code name:WIDTHxHEIGHT[:cover|fit][:quality][:jpeg|png]}, e.g.
     * {@code thumb:100x100:cover:80,preview:640x640:fit:85:png}. Mode defaults to {@code cover}, quality to 80,
     * format to {@code jpeg}; {@code png} means "PNG when the source has transparency, JPEG otherwise".
     *
     * @param text the list; {@code null} or blank means {@value #DEFAULT}
     * @return the specs in order
     * @throws IllegalArgumentException if an entry does not parse, a value is out of range, or a name repeats
     */
    public static List<RenditionSpec> parseList(String text) {
        String list = text == null || text.isBlank() ? DEFAULT : text;
        List<RenditionSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : list.split(",")) {
            Matcher m = ENTRY.matcher(entry.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(RENDITIONS + " entry '" + entry.strip() + "' must look like"
                        + " name:WIDTHxHEIGHT[:cover|fit][:quality][:jpeg|png], e.g. thumb:100x100:cover:80");
            }
            RenditionSpec spec = new RenditionSpec(m.group(1), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    m.group(4) == null ? Mode.COVER : Mode.valueOf(m.group(4).toUpperCase(Locale.ROOT)),
                    m.group(5) == null ? 80 : Integer.parseInt(m.group(5)),
                    m.group(6) == null ? Format.JPEG : Format.valueOf(m.group(6).toUpperCase(Locale.ROOT)));
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException(RENDITIONS + " names rendition '" + spec.name() + "' twice");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }
}
