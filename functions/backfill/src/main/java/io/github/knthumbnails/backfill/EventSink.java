package io.github.knthumbnails.backfill;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.cloudevents.CloudEvent;
import io.github.knthumbnails.events.CloudEventHttp;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * Sends CloudEvents to the pipeline's sink (a Knative Broker's ingress, or the local stack's) in binary content
 * mode (CloudEvents HTTP binding §3.1), at most {@code rate} per second, each retried on the answers Knative's
 * own delivery retries (contracts.md §4.3, {@code pkg/kncloudevents/retries.go}: no answer, 5xx, 404, 408, 409,
 * 429): 5 attempts, the waits doubling from {@code first}. A {@code 2xx} is delivered; any other answer is the
 * sink refusing the event, not retried.
 */
final class EventSink {

    /** Why an event was not delivered. */
    static final class NotDeliveredException extends Exception {
        NotDeliveredException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** An answer worth another attempt. */
    private static final class RetryableException extends IOException {
        RetryableException(String message) {
            super(message);
        }
    }

    private final URI sink;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RateLimiter rateLimiter;
    private final Retry retry;

    /**
     * @param sink  where to POST, e.g. {@code http://broker-ingress.knative-eventing.svc.cluster.local/thumbnails/default}
     * @param rate  events per second, 1 to 10000
     * @param first the first retry's wait; doubles up to 16 times it
     * @throws IllegalArgumentException if the rate is out of range or the sink is not an http(s) URL
     */
    EventSink(URI sink, int rate, Duration first) {
        if (rate < 1 || rate > 10_000) {
            throw new IllegalArgumentException("--rate must be 1 to 10000 events per second, got " + rate);
        }
        if (!("http".equals(sink.getScheme()) || "https".equals(sink.getScheme())) || sink.getHost() == null) {
            throw new IllegalArgumentException("the sink must be an http:// or https:// URL, got '" + sink + "'");
        }
        this.sink = sink;
        this.rateLimiter = RateLimiter.of("backfill", RateLimiterConfig.custom().limitForPeriod(rate)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofDays(1)).build());
        this.retry = Retry.of("backfill", RetryConfig.custom().maxAttempts(5)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(first, 2, first.multipliedBy(16)))
                .retryExceptions(IOException.class).build());
    }

    /** @return where events go */
    URI sink() {
        return sink;
    }

    /**
     * Delivers one event, waiting for the rate limit and retrying as described above.
     *
     * @param event the event
     * @throws NotDeliveredException if the sink refused it or every attempt failed, saying why
     * @throws InterruptedException  if interrupted while waiting
     */
    void send(CloudEvent event) throws NotDeliveredException, InterruptedException {
        CloudEventHttp.Message message = CloudEventHttp.toBinary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        RateLimiter.waitForPermission(rateLimiter);
        try {
            retry.executeCheckedSupplier(() -> attempt(request.build()));
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable e) {
            throw new NotDeliveredException(e.getMessage(), e);
        }
    }

    private Void attempt(HttpRequest request) throws IOException, InterruptedException, NotDeliveredException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
            return null;
        }
        String answer = "the sink " + sink + " answered " + status + " " + abbreviate(response.body());
        if (status >= 500 || status == 404 || status == 408 || status == 409 || status == 429) {
            throw new RetryableException(answer);
        }
        throw new NotDeliveredException(answer, null);
    }

    private static String abbreviate(String body) {
        String line = body.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
