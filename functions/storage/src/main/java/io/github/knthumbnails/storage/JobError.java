package io.github.knthumbnails.storage;

/**
 * Why a job failed.
 *
 * @param errorClass a stable, machine-readable class in snake case: {@code unsupported_format},
 *                   {@code corrupt}, {@code too_large}, ...
 * @param message    a readable sentence for people
 */
public record JobError(String errorClass, String message) {
}
