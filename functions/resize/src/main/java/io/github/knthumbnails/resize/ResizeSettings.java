package io.github.knthumbnails.resize;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.image.EngineSettings;
import io.github.knthumbnails.image.RenditionSpec;
import io.github.knthumbnails.storage.S3Settings;

/**
 * The resize function's configuration, read from the environment at start-up.
 *
 * @param s3         how to reach object storage
 * @param buckets    which buckets to process and where to write
 * @param renditions what to produce from every source
 * @param image      the image engine's limits, background and libjpeg-turbo location
 */
public record ResizeSettings(S3Settings s3, Buckets buckets, List<RenditionSpec> renditions, EngineSettings image) {

    /** Every environment variable the resize function reads (besides Spring Boot's own {@code PORT}). */
    public static final List<String> VARIABLES = Stream.of(S3Settings.VARIABLES, Buckets.VARIABLES,
            List.of(RenditionSpec.RENDITIONS), EngineSettings.VARIABLES).flatMap(List::stream).toList();

    /**
     * @return the rendition profile as job records store it: rendition name to spec fingerprint, in order (issue 13)
     */
    public java.util.Map<String, String> profile() {
        return RenditionSpec.profile(renditions);
    }

    /**
     * @param env looks up a variable by name, {@code null} when unset
     * @return the settings, defaults filled in
     * @throws IllegalArgumentException naming the variable, if a value is invalid
     */
    public static ResizeSettings from(Function<String, String> env) {
        return new ResizeSettings(S3Settings.from(env), Buckets.from(env),
                RenditionSpec.parseList(env.apply(RenditionSpec.RENDITIONS)), EngineSettings.from(env));
    }
}
