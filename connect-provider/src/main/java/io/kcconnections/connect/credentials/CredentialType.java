package io.kcconnections.connect.credentials;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.kcconnections.connect.credentials.FieldSpec.Format;

/**
 * The kinds of non-OAuth credential a connection can hold, each with its field schema. A catalog provider fixes how
 * an HTTP credential is sent and where it is checked; without one, the credential's own {@code base_url} (and, for an
 * API key, its {@code header} or {@code query_param}) say so.
 */
public enum CredentialType {
    API_KEY(List.of(FieldSpec.required("api_key", Format.SECRET), FieldSpec.optional("base_url", Format.URL),
            FieldSpec.optional("header", Format.HEADER), FieldSpec.optional("prefix", Format.PREFIX),
            FieldSpec.optional("query_param", Format.PARAM))),
    BASIC(List.of(FieldSpec.required("username", Format.TEXT), FieldSpec.required("password", Format.SECRET),
            FieldSpec.optional("base_url", Format.URL))),
    BEARER(List.of(FieldSpec.required("token", Format.SECRET), FieldSpec.optional("base_url", Format.URL))),
    SMTP(List.of(FieldSpec.required("host", Format.HOST), FieldSpec.required("port", Format.PORT),
            FieldSpec.optional("username", Format.TEXT), FieldSpec.optional("password", Format.SECRET),
            FieldSpec.choice("tls", false, "starttls", "tls", "none"))),
    DATABASE(List.of(FieldSpec.choice("dialect", true, "postgresql", "mariadb", "mysql", "mssql", "oracle"),
            FieldSpec.required("host", Format.HOST), FieldSpec.required("port", Format.PORT),
            FieldSpec.required("database", Format.TEXT), FieldSpec.required("username", Format.TEXT),
            FieldSpec.optional("password", Format.SECRET), FieldSpec.choice("tls", false, "verify-full", "require", "disable"))),
    GENERIC_HTTP(List.of(FieldSpec.required("base_url", Format.URL), FieldSpec.optional("token", Format.SECRET),
            FieldSpec.optional("api_key", Format.SECRET), FieldSpec.optional("header", Format.HEADER),
            FieldSpec.optional("prefix", Format.PREFIX))),
    OAUTH_APP(List.of(FieldSpec.required("client_id", Format.TEXT), FieldSpec.required("client_secret", Format.SECRET)));

    private final List<FieldSpec> fields;

    CredentialType(List<FieldSpec> fields) {
        this.fields = fields;
    }

    /** The name in the API: {@code api_key}, {@code basic}, … */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public List<FieldSpec> fields() {
        return fields;
    }

    public Optional<FieldSpec> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Whether its credential is sent over HTTP (and checked by an HTTP call). */
    public boolean http() {
        return this == API_KEY || this == BASIC || this == BEARER || this == GENERIC_HTTP;
    }

    public static Optional<CredentialType> of(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (CredentialType t : values()) {
            if (t.id().equals(id)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
