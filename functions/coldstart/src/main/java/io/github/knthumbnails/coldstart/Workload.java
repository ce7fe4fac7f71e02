package io.github.knthumbnails.coldstart;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one function is asked to do, by {@link Train} (a rich workload, so the AOT cache holds what production
 * loads) and {@link ColdStart} (the first real request, timed).
 *
 * <p>Implementations: {@link ResizeWorkload}, {@link StatusWorkload}, {@link SourceWorkload}.
 */
public interface Workload {

    /** The function names, as the modules and the {@code --function}/{@code --image} options spell them. */
    List<String> FUNCTIONS = List.of("resize", "status", "minio-source");

    /**
     * @param function {@code resize}, {@code status} or {@code minio-source}
     * @param fixture  the embedded S3 and sink to run against
     * @return its workload
     * @throws IllegalArgumentException for another name
     */
    static Workload of(String function, Fixture fixture) {
        return switch (function) {
            case "resize" -> new ResizeWorkload(fixture);
            case "status" -> new StatusWorkload(fixture);
            case "minio-source" -> new SourceWorkload(fixture);
            default -> throw new IllegalArgumentException("unknown function '" + function + "': one of " + FUNCTIONS);
        };
    }

    /**
     * The environment the function needs here besides the image's own: storage, buckets, {@code PORT},
     * {@code SERVER_ADDRESS=127.0.0.1}, and what the function itself requires ({@code K_SINK}, ...).
     *
     * @param port the port it must listen on
     * @return variable name to value, in a stable order (printed, so a person can rerun the command)
     */
    Map<String, String> env(int port);

    /**
     * Prepares a fresh first request (a new upload, a new job record, a new key): done before the fork, so the
     * timing covers only the function.
     *
     * @param port the function's port
     * @return the request and the check of its outcome
     */
    FirstRequest firstRequest(int port);

    /**
     * The training workload: real requests of every kind the function serves in production, good and bad, with
     * their answers checked. Called once the function answered its first request.
     *
     * @param port the function's port
     * @throws WorkloadException    if an answer is not what it should be
     * @throws IOException          if the function cannot be reached
     * @throws InterruptedException if interrupted
     */
    void train(int port) throws IOException, InterruptedException;

    /**
     * One request to send until the function answers it, and the check of what it did.
     *
     * @param request the request (sent again while the function is not listening yet)
     * @param check   throws {@link WorkloadException} if the answer or its effect (job record, forwarded event) is
     *                wrong
     */
    record FirstRequest(HttpRequest request, Consumer<HttpResponse<String>> check) {

        /**
         * @param response the function's answer
         * @throws WorkloadException if the answer or its effect is wrong
         */
        void verify(HttpResponse<String> response) {
            check.accept(response);
        }
    }
}
