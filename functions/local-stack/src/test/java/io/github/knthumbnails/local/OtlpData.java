package io.github.knthumbnails.local;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * What {@link OtlpReceiver} keeps of an OTLP export: spans as plain records and metric names, each with the
 * {@code service.name} of its resource. Turns the OTLP protobuf messages into these.
 */
public final class OtlpData {

    /** The resource attribute that names the service, OTel semantic conventions. */
    public static final String SERVICE_NAME = "service.name";

    private OtlpData() {
    }

    /**
     * One span as exported. Ids are lower-case hex, {@code ""} when absent (a root span's parent).
     *
     * @param serviceName   its resource's {@code service.name}, {@code ""} when the resource has none
     * @param traceId       32 hex digits
     * @param spanId        16 hex digits
     * @param parentSpanId  16 hex digits, or {@code ""} for a root span
     * @param name          e.g. {@code process}, {@code S3.GetObject}
     * @param kind          {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER}, {@code CONSUMER}, or
     *                      {@code UNSPECIFIED}
     * @param attributes    the span's attributes, each value as text (arrays as {@code [a, b]})
     * @param linkTraceIds  the trace id of each of its links, in order
     */
    public record Span(String serviceName, String traceId, String spanId, String parentSpanId, String name,
                       String kind, Map<String, String> attributes, List<String> linkTraceIds) {

        /** Copies the collections. */
        public Span {
            attributes = Map.copyOf(attributes);
            linkTraceIds = List.copyOf(linkTraceIds);
        }

        /** @return e.g. {@code resize CONSUMER process 4bf9…/00f0… <- b7ad…} */
        @Override
        public String toString() {
            return serviceName + " " + kind + " " + name + " " + traceId + "/" + spanId
                    + (parentSpanId.isEmpty() ? "" : " <- " + parentSpanId)
                    + (linkTraceIds.isEmpty() ? "" : " links " + linkTraceIds);
        }
    }

    /**
     * One metric's name as exported, with who exported it.
     *
     * @param serviceName its resource's {@code service.name}
     * @param name        the OTLP metric name, e.g. {@code thumbnails.jobs} (dots kept)
     */
    public record Metric(String serviceName, String name) {
    }

    /**
     * @param request a decoded {@code POST /v1/traces} body
     * @return its spans, in order
     */
    static List<Span> spans(ExportTraceServiceRequest request) {
        List<Span> spans = new ArrayList<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = serviceName(resource.getResource());
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
                    spans.add(new Span(service, hex(span.getTraceId()), hex(span.getSpanId()),
                            hex(span.getParentSpanId()), span.getName(),
                            span.getKind().name().replaceFirst("^SPAN_KIND_", ""),
                            attributes(span.getAttributesList()),
                            span.getLinksList().stream().map(link -> hex(link.getTraceId())).toList()));
                }
            }
        }
        return spans;
    }

    /**
     * @param request a decoded {@code POST /v1/metrics} body
     * @return the name of every metric in it, with its service, in order
     */
    static List<Metric> metrics(ExportMetricsServiceRequest request) {
        List<Metric> metrics = new ArrayList<>();
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            String service = serviceName(resource.getResource());
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                scope.getMetricsList().forEach(metric -> metrics.add(new Metric(service, metric.getName())));
            }
        }
        return metrics;
    }

    private static String serviceName(Resource resource) {
        return attributes(resource.getAttributesList()).getOrDefault(SERVICE_NAME, "");
    }

    private static Map<String, String> attributes(List<KeyValue> list) {
        Map<String, String> map = new LinkedHashMap<>();
        list.forEach(kv -> map.put(kv.getKey(), text(kv.getValue())));
        return map;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpData::text)
                    .collect(Collectors.joining(", ", "[", "]"));
            case BYTES_VALUE -> hex(value.getBytesValue());
            default -> value.toString().strip(); // a kvlist, or no value
        };
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
