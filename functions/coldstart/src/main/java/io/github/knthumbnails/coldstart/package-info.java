/**
 * Runs the functions from their container images' own layers, without a container runtime (issue 10):
 * {@link io.github.knthumbnails.coldstart.Train} trains each image's JDK 25 AOT cache at build time on a real
 * workload, and {@link io.github.knthumbnails.coldstart.ColdStart} ({@code scripts/coldstart.sh}) measures fork to
 * first real request answered. Both extract the image tarball ({@link io.github.knthumbnails.coldstart.ImageRoot}),
 * run its command with paths moved under the extraction folder, against an embedded S3
 * ({@link io.github.knthumbnails.coldstart.Fixture}) with one {@link io.github.knthumbnails.coldstart.Workload} per
 * function.
 */
package io.github.knthumbnails.coldstart;
