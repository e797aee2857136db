package io.kcconnections.connect.oauth;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads single members of providers' JSON answers by JSON pointer. */
final class JsonFields {

    private JsonFields() {
    }

    /** A value as text (objects and arrays as JSON); null when missing or null. */
    static String text(JsonNode json, String pointer) {
        if (json == null || pointer == null) {
            return null;
        }
        JsonNode n = json.at(pointer);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
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
