package io.kcconnections.connect.spi.template;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How the provider-side account of a new connection is identified (shown to users, used to tell accounts apart).
 *
 * @param source      {@code userinfo} (call {@link #userinfoUrl()} with the new access token), {@code id_token} (claims of
 *                    the ID token received directly from the token endpoint), or {@code token_response}
 * @param userinfoUrl the account endpoint; may use template placeholders
 * @param method      {@code GET} (default) or {@code POST}; a POST carries no body at all (Dropbox refuses one)
 * @param headers     extra request headers (for example an API version header)
 * @param id          JSON pointer of the stable account id; default {@code /sub}
 * @param name        JSON pointer of a display name (optional)
 * @param email       JSON pointer of an email address (optional)
 * @param scheme      the {@code Authorization} scheme the access token is sent with: {@code Bearer} (default), or
 *                    another word such as Mailchimp's {@code OAuth}
 * @param capture     per-connection values to keep from the account answer, name to JSON pointer (kept with the
 *                    connection's metadata like the template's {@code capture}); a pointer segment {@code [key=value]}
 *                    picks the first element of an array whose member {@code key} is {@code value}
 *                    ({@code /accounts/[product=bc3]/id})
 * @param emailVerified JSON pointer of the provider's own flag saying {@link #email()} is verified ({@code true} or
 *                    {@code "true"}); null when the provider states none. Only a verified email is taken into a
 *                    Keycloak user at login; without the flag the email is not imported at all
 * @param subject     whom {@link #id()} identifies: {@code user} (the person who signed in; the default) or
 *                    {@code organization} (a workspace, team, company, merchant or portal that many people share).
 *                    Only a {@code user} id can sign a person in to Keycloak
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AccountSpec(
        @JsonProperty("source") Source source,
        @JsonProperty("userinfoUrl") String userinfoUrl,
        @JsonProperty("method") String method,
        @JsonProperty("headers") Map<String, String> headers,
        @JsonProperty("id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("email") String email,
        @JsonProperty("scheme") String scheme,
        @JsonProperty("capture") Map<String, String> capture,
        @JsonProperty("emailVerified") String emailVerified,
        @JsonProperty("subject") Subject subject) {

    public AccountSpec {
        source = source == null ? (userinfoUrl != null ? Source.USERINFO : Source.ID_TOKEN) : source;
        if (source == Source.USERINFO && (userinfoUrl == null || userinfoUrl.isBlank())) {
            throw new IllegalArgumentException("account.userinfoUrl is required when account.source is userinfo");
        }
        method = method == null ? "GET" : method.trim().toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        id = id == null ? "/sub" : id;
        scheme = scheme == null || scheme.isBlank() ? "Bearer" : scheme.trim();
        if (!scheme.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("account.scheme must be one word: " + scheme);
        }
        capture = capture == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(capture));
        subject = subject == null ? Subject.USER : subject;
    }

    /** An account spec without {@link #emailVerified()} and {@link #subject()} (a person's account, no email flag). */
    public AccountSpec(Source source, String userinfoUrl, String method, Map<String, String> headers, String id,
                       String name, String email, String scheme, Map<String, String> capture) {
        this(source, userinfoUrl, method, headers, id, name, email, scheme, capture, null, null);
    }

    /** An account spec without {@link #scheme()} and {@link #capture()}. */
    public AccountSpec(Source source, String userinfoUrl, String method, Map<String, String> headers, String id,
                       String name, String email) {
        this(source, userinfoUrl, method, headers, id, name, email, null, null);
    }

    /** Whom the account id identifies. */
    public enum Subject {
        USER, ORGANIZATION;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Subject of(String v) {
            return v == null ? null : Subject.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Where the account identity comes from. */
    public enum Source {
        USERINFO, ID_TOKEN, TOKEN_RESPONSE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Source of(String v) {
            return v == null ? null : Source.valueOf(v.trim().toUpperCase(Locale.ROOT));
        }
    }
}
