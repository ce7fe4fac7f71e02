package io.github.knthumbnails.status;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * One page of jobs, as {@code GET /jobs} answers it. Every field is always present; {@code nextCursor} is
 * {@code null} on the last page.
 *
 * @param bucket     the upload bucket listed
 * @param prefix     the key prefix listed, {@code ""} for all
 * @param jobs       the jobs of this page, in key order
 * @param nextCursor what to pass as {@code cursor} for the next page; {@code null} on the last page
 */
@Schema(name = "JobsPage", description = "One page of jobs of an upload bucket, in key order.")
public record JobsPage(
        @Schema(description = "The upload bucket listed.", example = "images", requiredMode = RequiredMode.REQUIRED)
        String bucket,
        @Schema(description = "The key prefix listed, empty for all.", example = "uploads/",
                requiredMode = RequiredMode.REQUIRED) String prefix,
        @Schema(description = "The jobs of this page, in key order; empty when nothing is stored under the"
                + " prefix.", requiredMode = RequiredMode.REQUIRED) List<JobView> jobs,
        @Schema(description = "Opaque: pass it back as `cursor` for the next page (with the same bucket and"
                + " prefix). `null` on the last page.", types = {"string", "null"},
                example = "dXBsb2Fkcy9jYXQuanBn", requiredMode = RequiredMode.REQUIRED) String nextCursor) {
}
