package io.github.knthumbnails.status;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of every JSON error the status function answers: {@code {"error": "what was wrong"}} ({@link Errors},
 * {@link StatusController}; {@link StatusRoutesFilter} and the body limit filter write the same shape by hand).
 *
 * @param error what was wrong, in words a caller can act on
 */
@Schema(name = "Error", description = "A JSON error: what was wrong, in words a caller can act on.")
public record ApiError(
        @Schema(description = "What was wrong.", example = "limit must be from 1 to 100, got 500",
                requiredMode = Schema.RequiredMode.REQUIRED) String error) {
}
