package io.kcconnections.connect.credentials;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.kcconnections.connect.net.HostPolicy;

/**
 * One field of a credential type: its name, whether it is required and secret, and its format. {@link #problem}
 * checks a value; its messages never repeat a value (a secret may have been typed into the wrong field).
 *
 * @param values the allowed values of an {@link Format#ENUM} field; its first is the default
 */
public record FieldSpec(String name, boolean required, boolean secret, Format format, List<String> values) {

    /** What a value must look like. */
    public enum Format {
        /** Printable text, at most 256 characters. */
        TEXT,
        /** A secret: printable, at most 8192 characters. */
        SECRET,
        /** A DNS name or, where the server allows private hosts, an IP address; checked by the host policy. */
        HOST,
        /** 1–65535. */
        PORT,
        /** An absolute https URL on a public host (the host policy). */
        URL,
        /** An HTTP header name (RFC 9110 token), not one the HTTP client owns. */
        HEADER,
        /** A query parameter name. */
        PARAM,
        /** Printable text, at most 32 characters, sent before a key (such as {@code Bearer }). */
        PREFIX,
        /** One of {@link #values}. */
        ENUM
    }

    private static final Pattern PRINTABLE = Pattern.compile("[^\\p{Cntrl}]*");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final List<String> RESERVED_HEADERS = List.of("host", "content-length", "transfer-encoding", "connection",
            "cookie", "content-type", "expect", "upgrade", "te", "trailer", "proxy-authorization", "forwarded",
            "x-forwarded-for", "x-forwarded-host");

    public FieldSpec {
        values = values == null ? List.of() : List.copyOf(values);
    }

    static FieldSpec required(String name, Format f) {
        return new FieldSpec(name, true, f == Format.SECRET, f, List.of());
    }

    static FieldSpec optional(String name, Format f) {
        return new FieldSpec(name, false, f == Format.SECRET, f, List.of());
    }

    static FieldSpec choice(String name, boolean required, String... values) {
        return new FieldSpec(name, required, false, Format.ENUM, List.of(values));
    }

    /** The default of an enum field, else null. */
    public String defaultValue() {
        return format == Format.ENUM && !required && !values.isEmpty() ? values.get(0) : null;
    }

    /** Null when the value is fine, else why not (never the value itself). */
    public String problem(String value, HostPolicy policy) {
        if (value.isEmpty()) {
            return "must not be empty";
        }
        int max = switch (format) {
            case SECRET -> 8192;
            case URL -> 2048;
            case PREFIX -> 32;
            default -> 256;
        };
        if (value.length() > max) {
            return "is longer than " + max + " characters";
        }
        if (!PRINTABLE.matcher(value).matches()) {
            return "must not contain control characters";
        }
        return switch (format) {
            case TEXT, SECRET, PREFIX -> null;
            case HOST -> policy.checkHost(value);
            case URL -> policy.checkUrl(value);
            case PORT -> port(value);
            case HEADER -> !TOKEN.matcher(value).matches() ? "is not a header name"
                    : RESERVED_HEADERS.contains(value.toLowerCase(Locale.ROOT)) ? "is a header the server sets itself" : null;
            case PARAM -> PARAM_NAME.matcher(value).matches() ? null : "is not a query parameter name";
            case ENUM -> values.contains(value) ? null : "must be one of " + String.join(", ", values);
        };
    }

    private static String port(String value) {
        try {
            int p = Integer.parseInt(value);
            return p >= 1 && p <= 65535 ? null : "must be a port (1–65535)";
        } catch (NumberFormatException e) {
            return "must be a port (1–65535)";
        }
    }
}
