package io.github.knthumbnails.local.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;

/**
 * A Trigger's filter, as Knative Eventing evaluates it (knative/eventing {@code pkg/eventfilter/}): the
 * Subscriptions-API dialects of {@code spec.filters} ({@code subscriptionsapi/*_filter.go}) and the legacy
 * {@code spec.filter.attributes} ({@code attributes/filter.go}).
 *
 * <p>Rules copied from there:
 * <ul>
 *   <li>{@code exact}, {@code prefix}, {@code suffix}: one attribute each (the webhook's rule), compared with the
 *       attribute's string form, case-sensitively; a missing attribute fails;</li>
 *   <li>{@code all} fails at its first failing member, {@code any} passes at its first passing one, {@code not}
 *       inverts; a filter with nothing to test says {@link Result#NONE}, which lets the event through, and
 *       {@code not} of it is {@code NONE} too;</li>
 *   <li>the {@code filters} list is an {@code all}; an empty one passes everything;</li>
 *   <li>legacy attributes: every one must match exactly; the value {@code ""} means "present and non-empty".</li>
 * </ul>
 * {@code cesql} (and any other dialect) is refused when the Trigger is read, so a Trigger that cannot be
 * evaluated the cluster's way never routes differently here.
 */
@FunctionalInterface
interface EventFilter {

    /** What a filter says of one event ({@code eventfilter.FilterResult}). */
    enum Result {
        /** The event passes. */
        PASS,
        /** The event is dropped. */
        FAIL,
        /** Nothing was tested; the event passes. */
        NONE
    }

    /**
     * @param event an event
     * @return the verdict
     */
    Result test(CloudEvent event);

    /**
     * @param event an event
     * @return {@code true} unless the filter says {@link Result#FAIL} (the Broker filter's rule)
     */
    default boolean passes(CloudEvent event) {
        return test(event) != Result.FAIL;
    }

    /**
     * Reads {@code spec.filters}.
     *
     * @param filters the YAML list
     * @param where   its path in the file, for errors, e.g. {@code spec.filters}
     * @return the filter (an {@code all} of the list)
     * @throws IllegalArgumentException naming the path, for an unknown or unsupported dialect ({@code cesql}), a
     *                                  dialect with other than one attribute, or an empty name or value
     */
    static EventFilter ofFilters(JsonNode filters, String where) {
        if (!filters.isArray()) {
            throw new IllegalArgumentException(where + " must be a list of filters");
        }
        return all(list(filters, where));
    }

    /**
     * Reads the legacy {@code spec.filter.attributes}.
     *
     * @param attributes the YAML map of attribute name to value ({@code ""}: any non-empty value)
     * @param where      its path in the file, for errors
     * @return the filter
     * @throws IllegalArgumentException if it is not a map of strings
     */
    static EventFilter ofAttributes(JsonNode attributes, String where) {
        Map<String, String> expected = strings(attributes, where, true);
        return event -> {
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String value = attribute(event, e.getKey());
                boolean matches = e.getValue().isEmpty() ? value != null && !value.isEmpty()
                        : e.getValue().equals(value);
                if (!matches) {
                    return Result.FAIL;
                }
            }
            return Result.PASS;
        };
    }

    /**
     * An attribute's string form, as Knative's {@code attributes.LookupAttribute}: the context attributes
     * ({@code subject} and other optional ones read as {@code ""} when unset), else the extension of that name.
     *
     * @param event an event
     * @param name  an attribute name
     * @return its value as a string, {@code null} when it is an extension the event does not have
     */
    static String attribute(CloudEvent event, String name) {
        return switch (name) {
            case "specversion" -> event.getSpecVersion().toString();
            case "id" -> event.getId();
            case "type" -> event.getType();
            case "source" -> event.getSource().toString();
            case "subject" -> orEmpty(event.getSubject());
            case "time" -> event.getTime() == null ? "" : event.getTime().toString();
            case "dataschema", "schemaurl" -> event.getDataSchema() == null ? "" : event.getDataSchema().toString();
            case "datacontenttype" -> orEmpty(event.getDataContentType());
            default -> {
                Object value = event.getExtension(name);
                yield value == null ? null : value.toString();
            }
        };
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static List<EventFilter> list(JsonNode filters, String where) {
        List<EventFilter> list = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            list.add(one(filters.get(i), where + "[" + i + "]"));
        }
        return list;
    }

    private static EventFilter one(JsonNode filter, String where) {
        if (!filter.isObject() || filter.size() != 1) {
            throw new IllegalArgumentException(where + " must name exactly one dialect (exact, prefix, suffix, all,"
                    + " any or not)");
        }
        String dialect = filter.fieldNames().next();
        JsonNode arg = filter.get(dialect);
        String at = where + "." + dialect;
        return switch (dialect) {
            case "exact" -> compare(arg, at, String::equals);
            case "prefix" -> compare(arg, at, String::startsWith);
            case "suffix" -> compare(arg, at, String::endsWith);
            case "all" -> all(list(requireList(arg, at), at));
            case "any" -> any(list(requireList(arg, at), at));
            case "not" -> not(one(arg, at));
            case "cesql" -> throw new IllegalArgumentException(at + ": the cesql dialect is not supported by the"
                    + " local Broker; express the filter with exact, prefix, suffix, all, any and not");
            default -> throw new IllegalArgumentException(at + ": unknown filter dialect '" + dialect
                    + "' (Knative's are exact, prefix, suffix, all, any, not and cesql)");
        };
    }

    private static JsonNode requireList(JsonNode arg, String where) {
        if (!arg.isArray()) {
            throw new IllegalArgumentException(where + " must be a list of filters");
        }
        return arg;
    }

    /** {@code exact}/{@code prefix}/{@code suffix}: {@code test(actual, expected)} on the one attribute. */
    private static EventFilter compare(JsonNode arg, String where, BiPredicate<String, String> test) {
        Map<String, String> pair = strings(arg, where, false);
        if (pair.size() != 1) {
            throw new IllegalArgumentException(where + " must have exactly one attribute, has " + pair.size());
        }
        Map.Entry<String, String> e = pair.entrySet().iterator().next();
        return event -> {
            String value = attribute(event, e.getKey());
            return value != null && test.test(value, e.getValue()) ? Result.PASS : Result.FAIL;
        };
    }

    private static EventFilter all(List<EventFilter> filters) {
        return event -> {
            Result result = Result.NONE;
            for (EventFilter f : filters) {
                result = f.test(event);
                if (result == Result.FAIL) {
                    return Result.FAIL;
                }
            }
            return result;
        };
    }

    private static EventFilter any(List<EventFilter> filters) {
        return event -> {
            Result result = Result.NONE;
            for (EventFilter f : filters) {
                result = f.test(event);
                if (result == Result.PASS) {
                    return Result.PASS;
                }
            }
            return result;
        };
    }

    private static EventFilter not(EventFilter filter) {
        return event -> switch (filter.test(event)) {
            case PASS -> Result.FAIL;
            case FAIL -> Result.PASS;
            case NONE -> Result.NONE;
        };
    }

    private static Map<String, String> strings(JsonNode map, String where, boolean emptyValueAllowed) {
        if (!map.isObject()) {
            throw new IllegalArgumentException(where + " must be a map of attribute names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException(where + "." + e.getKey() + " must be a string");
            }
            String value = e.getValue().asText();
            if (e.getKey().isEmpty() || (value.isEmpty() && !emptyValueAllowed)) {
                throw new IllegalArgumentException(where + ": attribute names and values must not be empty");
            }
            out.put(e.getKey(), value);
        }
        return out;
    }
}
