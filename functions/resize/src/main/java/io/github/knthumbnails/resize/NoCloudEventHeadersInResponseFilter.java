package io.github.knthumbnails.resize;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps every {@code ce-*} header out of the resize function's HTTP responses.
 *
 * <p>A Knative Broker reads a subscriber's response as a reply event whenever it carries {@code ce-*} headers —
 * whatever the status code (knative/eventing {@code pkg/broker/filter/filter_handler.go}) — and publishes it back
 * into the Broker, where it matches the same Trigger again: a loop. Spring Cloud Function's web layer copies the
 * request headers, the incoming {@code ce-*} ones included, into the response (spring-cloud-function#927, #1091),
 * and its {@code ignored-headers} setting only takes exact names, not the open set of extension attributes
 * ({@code ce-traceparent}, {@code ce-knativearrivaltime}, ...). The resize function deliberately replies with no
 * event, so no {@code ce-*} header may leave it.
 */
class NoCloudEventHeadersInResponseFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                if (!isCloudEventHeader(name)) {
                    super.setHeader(name, value);
                }
            }

            @Override
            public void addHeader(String name, String value) {
                if (!isCloudEventHeader(name)) {
                    super.addHeader(name, value);
                }
            }

            @Override
            public void setDateHeader(String name, long date) {
                if (!isCloudEventHeader(name)) {
                    super.setDateHeader(name, date);
                }
            }

            @Override
            public void addDateHeader(String name, long date) {
                if (!isCloudEventHeader(name)) {
                    super.addDateHeader(name, date);
                }
            }

            @Override
            public void setIntHeader(String name, int value) {
                if (!isCloudEventHeader(name)) {
                    super.setIntHeader(name, value);
                }
            }

            @Override
            public void addIntHeader(String name, int value) {
                if (!isCloudEventHeader(name)) {
                    super.addIntHeader(name, value);
                }
            }
        });
    }

    static boolean isCloudEventHeader(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).startsWith("ce-");
    }
}
