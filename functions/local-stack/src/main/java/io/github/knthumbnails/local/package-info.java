/**
 * The local stack: an embedded S3 server that sends MinIO-format bucket notifications
 * ({@link io.github.knthumbnails.local.EmbeddedS3}) through a persistent, in-order webhook queue
 * ({@link io.github.knthumbnails.local.WebhookNotifier}), and the functions as supervised child processes
 * ({@link io.github.knthumbnails.local.LocalStack}), so the pipeline runs without MinIO or Knative.
 */
package io.github.knthumbnails.local;
