package io.kcconnections.connect.spi.template;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the provider returns the authorization response to the callback. */
public enum ResponseMode {
    /** {@code GET /callback/{provider}?code=…&state=…}. */
    QUERY,
    /** {@code POST /callback/{provider}} with a form body ({@code response_mode=form_post}; Apple). */
    FORM_POST;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static ResponseMode of(String value) {
        if (value == null) {
            return null;
        }
        for (ResponseMode m : values()) {
            if (m.id().equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown response mode '" + value + "' (known: query, form_post)");
    }
}
