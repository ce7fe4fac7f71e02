package io.github.knthumbnails.status;

import java.security.SecureRandom;
import java.time.Clock;

import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.StorageObserver;
import io.github.knthumbnails.storage.S3Settings;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The status function: a stateless HTTP API over object storage. See {@link StatusController}.
 */
@SpringBootApplication
public class StatusApplication {

    /**
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(StatusApplication.class, args);
    }

    @Bean
    StatusSettings statusSettings(Environment environment) {
        return StatusSettings.from(environment::getProperty);
    }

    @Bean
    ObjectStore objectStore(StatusSettings settings, StorageObserver storage) {
        return new ObjectStore(settings.s3(), storage);
    }

    /** What {@code POST /uploads} signs; the page reads {@link UploadSettings#enabled()} from it (issue 12). */
    @Bean
    UploadSettings uploadSettings(StatusSettings settings) {
        return settings.uploads();
    }

    @Bean
    StatusService statusService(StatusSettings settings, ObjectStore store, Environment environment) {
        return new StatusService(settings, StatusService.Limits.from(environment::getProperty), store,
                signer(settings, store));
    }

    @Bean
    Uploads uploads(StatusSettings settings, ObjectStore store) {
        return new Uploads(settings.uploads(), settings.buckets(), signer(settings, store), Clock.systemUTC(),
                new SecureRandom());
    }

    /**
     * Signs links and upload forms for {@link StatusSettings#publicEndpoint()}, the host a browser reaches
     * (signatures cover it); the function's own store when that is the same endpoint. Makes no requests.
     */
    private static ObjectStore signer(StatusSettings settings, ObjectStore store) {
        return settings.publicEndpoint().equals(settings.s3().endpoint()) ? store
                : new ObjectStore(new S3Settings(settings.publicEndpoint(), settings.s3().accessKey(),
                        settings.s3().secretKey(), settings.s3().region()));
    }

    @Bean
    DeadLetters deadLetters(StatusSettings settings, ObjectStore store) {
        return new DeadLetters(settings.buckets(), store);
    }

    /** Lets a key's {@code /} arrive encoded as {@code %2F} (Tomcat rejects it by default); the controller decodes it. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesInKeys() {
        return factory -> factory.addConnectorCustomizers(
                connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }
}
