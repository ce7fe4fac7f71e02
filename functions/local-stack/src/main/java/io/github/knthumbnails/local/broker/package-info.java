/**
 * The local stand-in for a Knative Broker and its Trigger: {@link io.github.knthumbnails.local.broker.LocalBroker}
 * takes CloudEvents from the minio-source, stores them durably and delivers them to the resize function with the
 * filters, retries, backoff, timeout and dead-letter sink of {@code eventing/trigger-resize.yaml}.
 */
package io.github.knthumbnails.local.broker;
