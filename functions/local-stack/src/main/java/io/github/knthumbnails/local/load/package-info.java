/**
 * {@code scripts/load-local.sh}: a load test of a running local stack (issue 9, part 4). {@link
 * io.github.knthumbnails.local.load.LoadMain} is the command, {@link io.github.knthumbnails.local.load.LoadRun} the
 * engine (uploads with the MinIO SDK, follows jobs through the status function), {@link
 * io.github.knthumbnails.local.load.LoadSummary} the figures and the machine-readable line, and {@link
 * io.github.knthumbnails.local.load.EngineFigure} the bare engine's speed measured in the same run.
 */
package io.github.knthumbnails.local.load;
