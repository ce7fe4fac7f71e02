package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import io.github.knthumbnails.image.ImageLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link UploadSettings}: off unless asked for, and clear errors naming the variable. */
class UploadSettingsTest {

    private static UploadSettings from(Map<String, String> env) {
        return UploadSettings.from(env::get);
    }

    @Test
    void offByDefaultWithDefaults() {
        UploadSettings settings = from(Map.of());

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.prefix()).isEqualTo("uploads/");
        assertThat(settings.expiry()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxBytes()).isEqualTo(52_428_800L);
    }

    /** Status reads resize's variable without loading the image engine, so the two defaults must be one. */
    @Test
    void maxImageBytesIsTheVariableAndTheDefaultOfTheResizeFunction() {
        assertThat(UploadSettings.MAX_IMAGE_BYTES).isEqualTo(ImageLimits.MAX_IMAGE_BYTES);
        assertThat(from(Map.of()).maxBytes()).isEqualTo(ImageLimits.from(name -> null).maxBytes());
        assertThat(from(Map.of("MAX_IMAGE_BYTES", "1000")).maxBytes())
                .isEqualTo(ImageLimits.from(Map.of("MAX_IMAGE_BYTES", "1000")::get).maxBytes());
    }

    @Test
    void readsEveryVariable() {
        UploadSettings settings = from(Map.of("BROWSER_UPLOADS", " TRUE ", "UPLOADS_PREFIX", "incoming/web-",
                "UPLOADS_EXPIRY_SECONDS", "3600", "MAX_IMAGE_BYTES", "1000"));

        assertThat(settings).isEqualTo(new UploadSettings(true, "incoming/web-", Duration.ofHours(1), 1000));
        assertThat(StatusSettings.VARIABLES).containsAll(UploadSettings.VARIABLES);
        assertThat(StatusSettings.from(Map.of("BROWSER_UPLOADS", "true")::get).uploads().enabled()).isTrue();
    }

    @Test
    void aValueOtherThanTrueOrFalseIsRefused() {
        assertThatThrownBy(() -> from(Map.of("BROWSER_UPLOADS", "yes")))
                .hasMessage("BROWSER_UPLOADS must be true or false, got 'yes'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/uploads/", "a//b/", "./", "a/../", "a/./b", "tab\there/"})
    void aPrefixStorageCannotHoldIsRefused(String prefix) {
        assertThatThrownBy(() -> from(Map.of("UPLOADS_PREFIX", prefix)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("UPLOADS_PREFIX must");
    }

    @Test
    void aPrefixTooLongForAKeyIsRefused() {
        assertThatThrownBy(() -> from(Map.of("UPLOADS_PREFIX", "p".repeat(UploadSettings.MAX_PREFIX_BYTES + 1))))
                .hasMessageContaining("UPLOADS_PREFIX must be at most " + UploadSettings.MAX_PREFIX_BYTES);
    }

    @Test
    void anExpiryOutsideOneSecondToAnHourIsRefused() {
        assertThatThrownBy(() -> from(Map.of("UPLOADS_EXPIRY_SECONDS", "0")))
                .hasMessage("UPLOADS_EXPIRY_SECONDS must be 1 to 3600 seconds, got 0");
        assertThatThrownBy(() -> from(Map.of("UPLOADS_EXPIRY_SECONDS", "3601")))
                .hasMessage("UPLOADS_EXPIRY_SECONDS must be 1 to 3600 seconds, got 3601");
        assertThatThrownBy(() -> from(Map.of("UPLOADS_EXPIRY_SECONDS", "5m")))
                .hasMessage("UPLOADS_EXPIRY_SECONDS must be a whole number, got '5m'");
    }

    @Test
    void aMaxBytesBelowOneIsRefused() {
        assertThatThrownBy(() -> from(Map.of("MAX_IMAGE_BYTES", "0")))
                .hasMessage("MAX_IMAGE_BYTES must be positive, got 0");
    }
}
