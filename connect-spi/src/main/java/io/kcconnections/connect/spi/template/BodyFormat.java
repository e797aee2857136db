package io.kcconnections.connect.spi.template;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Encoding of a token, refresh or revoke request body. */
public enum BodyFormat {
    /** {@code application/x-www-form-urlencoded}, the OAuth 2.0 default. */
    FORM,
    /** {@code application/json} (Notion, a few others). */
    JSON;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static BodyFormat of(String value) {
        if (value == null) {
            return null;
        }
        for (BodyFormat f : values()) {
            if (f.id().equalsIgnoreCase(value.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown body format '" + value + "' (known: form, json)");
    }
}
