package io.github.knthumbnails.status;

import io.github.knthumbnails.events.RequestBodyLimitFilter;
import io.github.knthumbnails.events.RequestLimits;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The status function's servlet filters, ahead of everything that reads a request: first the route split
 * ({@link StatusRoutesFilter}, {@value StatusRoutes#STATUS_ROUTES}), then the body limit
 * ({@link RequestBodyLimitFilter}, {@value RequestLimits#MAX_REQUEST_BYTES}; issue 8, findings 1 and 8).
 */
@Configuration(proxyBeanMethods = false)
class StatusFilters {

    @Bean
    FilterRegistrationBean<StatusRoutesFilter> statusRoutesFilter(Environment environment) {
        var registration = new FilterRegistrationBean<>(new StatusRoutesFilter(
                StatusRoutes.from(environment::getProperty)));
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
