package io.github.knthumbnails.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Assumptions;

/**
 * The one place tests find the shared test corpus ({@code ../shared} beside the checkout: real photos,
 * hostile files, captured MinIO webhook payloads, schemas).
 *
 * <p>Resolution order: the {@code THUMBNAILS_SHARED_DIR} environment variable; otherwise {@code ../shared}
 * relative to the repository root, which Maven passes as the {@code thumbnails.root} system property (the
 * working directory is used when it is missing). A user's clone has no {@code ../shared}: tests that need it
 * call {@link #require(String)}, which <em>skips</em> the test with a message saying how to provide it, so
 * the rest of the suite still runs.
 */
public final class SharedTestData {

    /** Environment variable that overrides where the shared corpus lives. */
    public static final String ENV = "THUMBNAILS_SHARED_DIR";

    private SharedTestData() {
    }

    /**
     * Returns the shared corpus directory, whether or not it exists.
     *
     * @return absolute, normalised path of the corpus root
     */
    public static Path root() {
        String override = System.getenv(ENV);
        if (override != null && !override.isBlank()) {
            return Paths.get(override).toAbsolutePath().normalize();
        }
        String repo = System.getProperty("thumbnails.root", System.getProperty("user.dir"));
        return Paths.get(repo).resolve("../shared").toAbsolutePath().normalize();
    }

    /**
     * Returns a path inside the shared corpus, skipping the calling test when it does not exist.
     *
     * @param relative path below the corpus root, e.g. {@code "testdata/photos"}
     * @return the existing absolute path
     * @throws org.opentest4j.TestAbortedException (JUnit's "skipped") when the path is absent
     */
    public static Path require(String relative) {
        Path path = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(path),
                () -> "shared test data not found at " + path + "; it lives beside the checkout as ../shared"
                        + " (set " + ENV + " to point elsewhere). Skipping.");
        return path;
    }
}
