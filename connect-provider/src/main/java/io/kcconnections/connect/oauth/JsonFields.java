package io.kcconnections.connect.oauth;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads single members of providers' JSON answers by JSON pointer. */
final class JsonFields {

    private JsonFields() {
    }

    /**
     * A value as text (objects and arrays as JSON); null when missing or null. Besides JSON pointer segments the
     * pointer may hold {@code [key=value]} segments: the first element of an array whose member {@code key} has the
     * text {@code value} ({@code /accounts/[product=bc3]/id}).
     */
    static String text(JsonNode json, String pointer) {
        if (json == null || pointer == null) {
            return null;
        }
        JsonNode n = pointer.contains("/[") ? select(json, pointer) : json.at(pointer);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static JsonNode select(JsonNode json, String pointer) {
        JsonNode n = json;
        for (String part : pointer.substring(1).split("/(?=\\[)|(?<=])/")) {
            if (part.startsWith("[") && part.endsWith("]") && part.contains("=")) {
                String key = part.substring(1, part.indexOf('='));
                String value = part.substring(part.indexOf('=') + 1, part.length() - 1);
                JsonNode found = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
                for (JsonNode e : n) {
                    if (n.isArray() && value.equals(e.path(key).asText(null))) {
                        found = e;
                        break;
                    }
                }
                n = found;
            } else {
                n = n.at(part.isEmpty() ? "" : "/" + part);
            }
        }
        return n;
    }

    /** A number, or numeric text (truncated to a whole number); null otherwise. */
    static Long number(JsonNode json, String pointer) {
        JsonNode n = json.at(pointer);
        if (n.isNumber()) {
            return n.asLong();
        }
        if (n.isTextual()) {
            try {
                return (long) Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
