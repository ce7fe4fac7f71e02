package io.github.knthumbnails.resize;

import java.util.List;

import io.github.knthumbnails.image.ImageRejectedException;
import io.github.knthumbnails.image.Rendition;
import io.github.knthumbnails.image.RenditionSpec;
import io.github.knthumbnails.image.StageListener;

/**
 * Turns source bytes into renditions: in production {@link io.github.knthumbnails.image.ImageEngine#render}. The
 * seam exists so that a test can make rendering throw what a real pod throws under memory pressure
 * ({@link OutOfMemoryError}, issue 8, finding 7) and check what the function answers over HTTP.
 */
@FunctionalInterface
public interface Renderer {

    /**
     * @param source the source bytes, as read from storage
     * @param specs  the renditions to produce
     * @param stages told about each stage as it ends (spans, stage histograms, the job record's timings)
     * @return one rendition per spec, in order
     * @throws ImageRejectedException if the bytes can never become an image (recorded {@code failed}, final)
     */
    List<Rendition> render(byte[] source, List<RenditionSpec> specs, StageListener stages)
            throws ImageRejectedException;
}
