package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.cloudevents.core.builder.CloudEventBuilder;
import org.junit.jupiter.api.Test;

/** The readable message of a delivery failure, from whatever extensions the channel attached. */
class DeadLettersTest {

    private static CloudEventBuilder event() {
        return CloudEventBuilder.v1().withId("1").withSource(URI.create("minio:s3..images"))
                .withType("com.amazonaws.s3.ObjectCreated:Put");
    }

    @Test
    void namesTheHttpCodeTheDestinationAndTheResponse() {
        String data = Base64.getEncoder().encodeToString("{\"error\":\"storage down\"}".getBytes(StandardCharsets.UTF_8));

        String message = DeadLetters.message(event().withExtension("knativeerrorcode", "503")
                .withExtension("knativeerrordest", "http://resize.thumbnails.svc.cluster.local")
                .withExtension("knativeerrordata", data).build());

        assertThat(message).isEqualTo("the Broker gave up delivering the event after its retries: the last attempt"
                + " got HTTP 503 from http://resize.thumbnails.svc.cluster.local (response: {\"error\":\"storage down\"})");
    }

    @Test
    void channelsThatAddNoExtensionsStillGiveAReadableReason() {
        assertThat(DeadLetters.message(event().build()))
                .isEqualTo("the Broker gave up delivering the event after its retries");
        assertThat(DeadLetters.message(event().withExtension("knativeerrordest", "http://resize").build()))
                .isEqualTo("the Broker gave up delivering the event after its retries: the last attempt got no HTTP"
                        + " status from http://resize");
    }

    @Test
    void aLongResponseIsCutAndDataThatIsNotBase64IsShownAsItCame() {
        String longBody = "x".repeat(500);
        String cut = DeadLetters.message(event().withExtension("knativeerrordata",
                Base64.getEncoder().encodeToString(longBody.getBytes(StandardCharsets.UTF_8))).build());
        assertThat(cut).endsWith("(response: " + "x".repeat(DeadLetters.MAX_RESPONSE_CHARS) + "…)");

        assertThat(DeadLetters.message(event().withExtension("knativeerrordata", "timeout!").build()))
                .endsWith("(response: timeout!)");
    }
}
