package io.github.knthumbnails.source;

import io.github.knthumbnails.events.RequestBodyLimitFilter;
import io.github.knthumbnails.events.RequestLimits;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The minio-source's servlet filters, ahead of everything that reads a request (issue 8, finding 8): first the
 * bearer token ({@link WebhookAuthFilter}), so an unauthenticated body is never read, whatever its size; then the
 * body limit ({@link RequestBodyLimitFilter}, {@value RequestLimits#MAX_REQUEST_BYTES}, default 1 MiB: a MinIO
 * webhook body is one record, a few KiB).
 */
@Configuration(proxyBeanMethods = false)
class SourceFilters {

    @Bean
    FilterRegistrationBean<WebhookAuthFilter> webhookAuthFilter(SourceSettings settings) {
        var registration = new FilterRegistrationBean<>(new WebhookAuthFilter(settings.authToken()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(Environment environment) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(
                RequestLimits.from(environment::getProperty)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
