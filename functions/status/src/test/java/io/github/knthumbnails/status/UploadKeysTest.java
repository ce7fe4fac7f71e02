package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.github.knthumbnails.storage.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link UploadKeys}: the server's keys for browser uploads, and what is left of a file name in them. */
class UploadKeysTest {

    private static final String ALPHABET = "./\\-_ aZ9é\u0000%";
    private static final Instant T = Instant.parse("2026-12-02T16:41:08.236Z");

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "cat.jpg | cat.jpg",
        "My Cat é.JPG | My-Cat.JPG",
        "../../etc/passwd | upload.etc-passwd",
        "..\\..\\windows\\system32.dll | upload.windows-system32.dll",
        "uploads/../x.png | uploads.x.png",
        ". | upload",
        ".. | upload",
        "\"  \" | upload",
        "日本語 | upload",
        "日本語.png | upload.png",
        ".bashrc | upload.bashrc",
        "a..b...c.gif | a.b.c.gif",
        "-dash-first-.webp | dash-first.webp",
        "%2e%2e%2fcat.jpg | 2e-2e-2fcat.jpg",
        "under_score-ok.tif | under_score-ok.tif",
        "cat.jpg. | cat.jpg"})
    void sanitiseKeepsASafeLabel(String filename, String expected) {
        assertThat(UploadKeys.sanitise(filename)).isEqualTo(expected);
    }

    @Test
    void controlCharactersBecomeADash() {
        assertThat(UploadKeys.sanitise("tab\tand\nnewline\u0000.jpg")).isEqualTo("tab-and-newline.jpg");
    }

    @Test
    void aLongNameIsCutKeepingItsExtension() {
        String name = UploadKeys.sanitise("a".repeat(300) + ".jpeg");

        assertThat(name).hasSize(UploadKeys.MAX_NAME_LENGTH).endsWith("a.jpeg").startsWith("aaaa");
        assertThat(UploadKeys.sanitise("b".repeat(300))).isEqualTo("b".repeat(UploadKeys.MAX_NAME_LENGTH));
        // An "extension" too long to be one is cut like the rest.
        assertThat(UploadKeys.sanitise("c".repeat(50) + "." + "d".repeat(200))).hasSize(UploadKeys.MAX_NAME_LENGTH)
                .doesNotEndWith(".");
    }

    @Test
    void everySanitisedNameIsMadeOfSafeCharactersAndNeverADotSegment() {
        Random random = new Random(12);
        for (int i = 0; i < 2000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(150);
            for (int j = 0; j < length; j++) {
                name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String sanitised = UploadKeys.sanitise(name.toString());
            assertThat(sanitised).as(name.toString()).matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")
                    .doesNotEndWith(".").doesNotEndWith("-");
        }
    }

    @Test
    void aKeyIsPrefixUtcTimeRandomPartAndName() {
        String key = UploadKeys.key("uploads/", T, new SecureRandom(), "My Cat.jpg");

        assertThat(key).matches("uploads/20261202-164108-[0-9a-z]{6}-My-Cat\\.jpg");
        assertThat(Layout.isStorable(key)).isTrue();
    }

    @Test
    void keysSortByUploadTimeAndTwoInOneSecondDiffer() {
        SecureRandom random = new SecureRandom();
        List<String> keys = new ArrayList<>();
        for (Instant t : List.of(T, T.plusSeconds(1), T.plusSeconds(59), T.plusSeconds(3600 * 24 * 40))) {
            keys.add(UploadKeys.key("uploads/", t, random, "zzz.jpg"));
            keys.add(UploadKeys.key("uploads/", t, random, "aaa.jpg"));
        }
        for (int i = 2; i < keys.size(); i += 2) {
            assertThat(keys.get(i)).isGreaterThan(keys.get(i - 1)).isGreaterThan(keys.get(i - 2));
        }
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void theLongestPrefixAndNameStillMakeAStorableKey() {
        String prefix = "p".repeat(UploadSettings.MAX_PREFIX_BYTES - 1) + "/";
        String key = UploadKeys.key(new UploadSettings(true, prefix, java.time.Duration.ofMinutes(5), 1).prefix(),
                T, new SecureRandom(), "x".repeat(500));

        assertThat(key.length()).isEqualTo(Layout.MAX_KEY_BYTES);
        assertThat(Layout.isStorable(key)).isTrue();
    }
}
