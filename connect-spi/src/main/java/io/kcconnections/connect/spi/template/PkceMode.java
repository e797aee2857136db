package io.kcconnections.connect.spi.template;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether the authorization request carries a PKCE challenge (always S256). */
public enum PkceMode {
    /** The provider requires PKCE; an operator cannot turn it off. */
    REQUIRED,
    /** The provider accepts PKCE; it is sent unless an operator turns it off. */
    SUPPORTED,
    /** The provider rejects or mishandles PKCE parameters; never sent. */
    OFF;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static PkceMode of(String value) {
        if (value == null) {
            return null;
        }
        for (PkceMode m : values()) {
            if (m.id().equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown pkce mode '" + value + "' (known: required, supported, off)");
    }
}
