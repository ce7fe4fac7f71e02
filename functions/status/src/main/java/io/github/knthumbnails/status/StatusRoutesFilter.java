package io.github.knthumbnails.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Answers {@code 404} for every route the configured {@link StatusRoutes} does not serve, before any handler
 * or body reading runs (issue 8, finding 1).
 *
 * <p>Paths are matched the way Spring MVC matches its handler mappings — the request's parsed path
 * ({@link ServletRequestPathUtils}, percent-decoded, path parameters such as {@code ;x=y} ignored) against
 * {@link PathPattern}s — so no spelling of {@code /dead-letter} that reaches the dead-letter controller gets past
 * this filter on the public Service.
 */
class StatusRoutesFilter extends OncePerRequestFilter {

    private static final PathPattern DEAD_LETTER = PathPatternParser.defaultInstance.parse(DeadLetters.PATH);
    private static final PathPattern HEALTH = PathPatternParser.defaultInstance.parse("/actuator/health/**");
    private static final PathPattern METRICS = PathPatternParser.defaultInstance.parse("/actuator/prometheus/**");

    private final StatusRoutes routes;

    /**
     * @param routes what this deployment serves
     */
    StatusRoutesFilter(StatusRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (routes == StatusRoutes.ALL || serves(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] json = ("{\"error\":\"no such route here: this deployment of the status function serves "
                + (routes == StatusRoutes.PUBLIC ? "the status API only" : "only POST " + DeadLetters.PATH)
                + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private boolean serves(HttpServletRequest request) {
        PathContainer path = ServletRequestPathUtils.parseAndCache(request).pathWithinApplication();
        boolean deadLetter = DEAD_LETTER.matches(path);
        boolean metrics = METRICS.matches(path);
        return switch (routes) {
            case PUBLIC -> !deadLetter && !metrics;
            case DEAD_LETTER -> (deadLetter && "POST".equals(request.getMethod())) || HEALTH.matches(path) || metrics;
            case ALL -> true;
        };
    }
}
