package io.github.knthumbnails.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.github.knthumbnails.events.MinioWebhookAuth;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks MinIO's bearer token on every {@code POST} before a byte of the body is read (issue 8, finding 8): a
 * request without the token configured in {@code WEBHOOK_AUTH_TOKEN} gets {@code 401} with
 * {@code WWW-Authenticate: Bearer} whatever its size. Compared in constant time. With no token configured every
 * request passes (the local stack's loopback default). {@code HEAD /}, MinIO's liveness probe, and the actuator
 * probes need no token.
 */
class WebhookAuthFilter extends OncePerRequestFilter {

    private static final byte[] UNAUTHORIZED = ("{\"error\":\"missing or wrong Authorization: expected the bearer"
            + " token configured in WEBHOOK_AUTH_TOKEN (MinIO's notify_webhook auth_token)\"}")
            .getBytes(StandardCharsets.UTF_8);

    private final byte[] expected;

    /**
     * @param authToken MinIO's {@code auth_token}, or {@code null} to accept every request
     */
    WebhookAuthFilter(String authToken) {
        String header = MinioWebhookAuth.authorizationHeader(authToken);
        this.expected = header == null ? null : header.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (expected == null || !"POST".equals(request.getMethod()) || (authorization != null
                && MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8)))) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        // The body is not read, so the connection cannot carry another request.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.setContentType("application/json");
        response.setContentLength(UNAUTHORIZED.length);
        response.getOutputStream().write(UNAUTHORIZED);
    }
}
