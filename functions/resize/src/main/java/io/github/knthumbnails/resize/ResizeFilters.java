package io.github.knthumbnails.resize;

import io.github.knthumbnails.events.RequestBodyLimitFilter;
import io.github.knthumbnails.events.RequestLimits;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Caps the resize function's request bodies ({@value RequestLimits#MAX_REQUEST_BYTES}, default 1 MiB: a
 * CloudEvent carrying one S3 record is a few KiB) ahead of everything that reads them (issue 8, finding 8).
 */
@Configuration(proxyBeanMethods = false)
class ResizeFilters {

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(Environment environment) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(
                RequestLimits.from(environment::getProperty)));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }
}
