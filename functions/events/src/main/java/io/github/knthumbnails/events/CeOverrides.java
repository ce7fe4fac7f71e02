package io.github.knthumbnails.events;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parses {@code K_CE_OVERRIDES}, which a Knative SinkBinding or ContainerSource injects:
 * {@code {"extensions":{"name":"value",...}}} (knative/eventing {@code pkg/apis/sources/v1/sinkbinding_lifecycle.go};
 * knative docs {@code eventing/custom-event-source/sinkbinding/reference.md}). Only extensions can be overridden,
 * never core attributes such as {@code type}; values are turned into strings.
 */
public final class CeOverrides {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,20}");

    private CeOverrides() {
    }

    /**
     * @param json the variable's value; {@code null} or blank means no overrides
     * @return extension name to string value, in document order
     * @throws IllegalArgumentException if the value is not JSON of that shape or an extension name is not
     *                                  lower-case {@code [a-z0-9]} of at most 20 characters (CloudEvents core
     *                                  spec, "Attribute Naming Convention")
     */
    public static Map<String, String> parse(String json) {
        Map<String, String> result = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return result;
        }
        JsonNode root;
        try {
            root = S3EventRecord.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("K_CE_OVERRIDES is not JSON: " + e.getMessage(), e);
        }
        JsonNode extensions = root.path("extensions");
        if (!root.isObject() || !(extensions.isObject() || extensions.isMissingNode())) {
            throw new IllegalArgumentException("K_CE_OVERRIDES must look like {\"extensions\":{\"name\":\"value\"}},"
                    + " got " + json);
        }
        extensions.properties().forEach(entry -> {
            if (!NAME.matcher(entry.getKey()).matches()) {
                throw new IllegalArgumentException("K_CE_OVERRIDES extension name '" + entry.getKey()
                        + "' must be 1-20 characters of a-z and 0-9");
            }
            JsonNode value = entry.getValue();
            result.put(entry.getKey(), value.isTextual() ? value.asText() : value.toString());
        });
        return result;
    }
}
