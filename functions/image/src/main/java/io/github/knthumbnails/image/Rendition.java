package io.github.knthumbnails.image;

/**
 * One produced rendition.
 *
 * @param spec        what was asked for
 * @param width       actual width in pixels
 * @param height      actual height in pixels
 * @param contentType e.g. {@code image/jpeg}
 * @param bytes       the encoded image, without EXIF/GPS/XMP metadata
 */
public record Rendition(RenditionSpec spec, int width, int height, String contentType, byte[] bytes) {
}
