package io.github.knthumbnails.storage;

/**
 * One stored rendition, as the job record describes it.
 *
 * @param name        rendition name, lower-case {@code [a-z0-9-]}, e.g. {@code thumb}
 * @param width       width in pixels
 * @param height      height in pixels
 * @param contentType e.g. {@code image/jpeg}
 * @param bytes       size of the stored object in bytes
 */
public record RenditionInfo(String name, int width, int height, String contentType, long bytes) {
}
