package io.github.knthumbnails.storage;

import java.util.Locale;

/** Where one job (one version of one source object) stands. */
public enum JobState {
    /** The source exists and nothing is recorded for its current ETag yet. */
    PENDING,
    /** The resize function has started on this ETag. */
    PROCESSING,
    /** Every rendition of this ETag is stored. */
    SUCCEEDED,
    /** This ETag cannot be turned into renditions; the reason is recorded. */
    FAILED;

    /** @return the lower-case name used in metadata and JSON, e.g. {@code succeeded} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wireName a lower-case name
     * @return the state
     * @throws IllegalArgumentException if the name is unknown
     */
    public static JobState fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
