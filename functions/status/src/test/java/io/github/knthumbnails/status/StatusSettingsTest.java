package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StatusSettingsTest {

    @Test
    void linksPointAtThePublicEndpointWhenOneIsSet() {
        StatusSettings settings = StatusSettings.from(Map.of("MINIO_ENDPOINT", "http://minio.storage.svc:9000",
                "MINIO_PUBLIC_ENDPOINT", "https://s3.example.com")::get);

        assertThat(settings.s3().endpoint()).hasToString("http://minio.storage.svc:9000");
        assertThat(settings.publicEndpoint()).hasToString("https://s3.example.com");
        assertThat(settings.linkExpiry()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void linksUseTheS3EndpointByDefault() {
        assertThat(StatusSettings.from(Map.<String, String>of()::get).publicEndpoint())
                .hasToString("http://127.0.0.1:9000");
    }

    @Test
    void rejectsAnExpiryS3DoesNotAllow() {
        assertThatThrownBy(() -> StatusSettings.from(Map.of("LINK_EXPIRY_SECONDS", "604801")::get))
                .hasMessageContaining("LINK_EXPIRY_SECONDS must be 1 to 604800");
    }
}
