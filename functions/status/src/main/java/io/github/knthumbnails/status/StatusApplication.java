package io.github.knthumbnails.status;

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

    @Bean
    StatusService statusService(StatusSettings settings, ObjectStore store, Environment environment) {
        ObjectStore signer = settings.publicEndpoint().equals(settings.s3().endpoint()) ? store
                : new ObjectStore(new S3Settings(settings.publicEndpoint(), settings.s3().accessKey(),
                        settings.s3().secretKey(), settings.s3().region()));
        return new StatusService(settings, StatusService.Limits.from(environment::getProperty), store, signer);
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
