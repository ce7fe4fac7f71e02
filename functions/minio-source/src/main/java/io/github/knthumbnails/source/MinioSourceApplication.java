package io.github.knthumbnails.source;

import io.opentelemetry.api.OpenTelemetry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The minio-source: MinIO webhook in, binary-mode CloudEvents out to {@code K_SINK}. See {@link WebhookController}.
 */
@SpringBootApplication
public class MinioSourceApplication {

    /**
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(MinioSourceApplication.class, args);
    }

    @Bean
    SourceSettings sourceSettings(Environment environment) {
        return SourceSettings.from(environment::getProperty);
    }

    @Bean
    SinkClient sinkClient(SourceSettings settings, OpenTelemetry openTelemetry) {
        return new SinkClient(settings.sink(), openTelemetry);
    }
}
