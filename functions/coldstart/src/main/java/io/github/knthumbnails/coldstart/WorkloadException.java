package io.github.knthumbnails.coldstart;

/** A function answered, but not as it should have: a wrong status code, or the job/event it should have made is missing. */
public final class WorkloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what came instead */
    public WorkloadException(String message) {
        super(message);
    }
}
