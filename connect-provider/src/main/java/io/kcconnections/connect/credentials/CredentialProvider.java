package io.kcconnections.connect.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A catalog entry for a provider whose API takes a key, a token or basic auth: which credential types it accepts,
 * where its API is ({@code baseUrl}, whose {@code {param}} placeholders take the values of {@code params}, each held to
 * its pattern so that a credential never leaves the provider's hosts), how an API key is sent, and the call that
 * checks a credential. {@code docs} and {@code checked} say where the facts come from and when they were read.
 */
public record CredentialProvider(String name, String displayName, String category, List<String> types, String baseUrl,
                                 Map<String, String> params, ApiKey apiKey, Map<String, String> headers, Check check,
                                 List<String> docs, String checked) {

    /**
     * How an API key is sent: in {@code header} after {@code prefix}, in the query parameter {@code query}, or as HTTP
     * Basic with the key as user name and {@code basicPassword} as password, or {@code basicUsername} as user name and
     * the key as password.
     */
    public record ApiKey(String header, String prefix, String query, String basicUsername, String basicPassword) {
    }

    /**
     * The call that checks a credential: {@code method} on {@code path} (relative to the base URL; {@code {username}}
     * takes the credential's user name); a 2xx answer passes, and when {@code okPointer} is set the JSON member it
     * points at must also be {@code true} (Slack answers 200 with {@code "ok": false}).
     */
    public record Check(String method, String path, @JsonProperty("okPointer") String okPointer) {
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    private static final Pattern SAFE_PARAM_VALUE = Pattern.compile("[A-Za-z0-9.-]{1,128}");

    public CredentialProvider {
        types = types == null ? List.of() : List.copyOf(types);
        params = params == null ? Map.of() : Map.copyOf(params);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        docs = docs == null ? List.of() : List.copyOf(docs);
    }

    /** What is wrong with the entry; empty when it is usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            p.add("name must be lower-case letters, digits and dashes");
        }
        if (displayName == null || displayName.isBlank()) {
            p.add("displayName is required");
        }
        if (types.isEmpty()) {
            p.add("types is required");
        }
        for (String t : types) {
            if (CredentialType.of(t).filter(CredentialType::http).isEmpty() || "generic_http".equals(t)) {
                p.add("type " + t + " is not api_key, basic or bearer");
            }
        }
        if (types.contains("api_key") && apiKey == null) {
            p.add("apiKey says how an API key is sent: header, query, basicUsername or basicPassword");
        }
        if (baseUrl != null && !baseUrl.startsWith("https://")) {
            p.add("baseUrl must be https");
        }
        if (baseUrl != null) {
            Matcher m = PLACEHOLDER.matcher(baseUrl);
            while (m.find()) {
                if (!params.containsKey(m.group(1))) {
                    p.add("baseUrl names {" + m.group(1) + "}, which params lacks");
                }
            }
        }
        params.forEach((k, v) -> {
            try {
                Pattern.compile(v);
            } catch (PatternSyntaxException e) {
                p.add("params." + k + " is not a pattern");
            }
        });
        if (check == null || check.method() == null || check.path() == null || !check.path().startsWith("/")) {
            p.add("check needs a method and a path starting with /");
        } else if (!List.of("GET", "POST", "HEAD").contains(check.method())) {
            p.add("check.method must be GET, POST or HEAD");
        }
        if (docs.isEmpty() || docs.stream().anyMatch(d -> !d.startsWith("https://"))) {
            p.add("docs must name the provider's documentation (https URLs)");
        }
        if (checked == null || !checked.matches("\\d{4}-\\d{2}-\\d{2}")) {
            p.add("checked must be the date the facts were read (YYYY-MM-DD)");
        }
        return p;
    }

    /** Whether a provider parameter's value is allowed: its pattern, whole, and characters safe in a host name. */
    public boolean paramAllowed(String param, String value) {
        String pattern = params.get(param);
        return pattern != null && value != null && SAFE_PARAM_VALUE.matcher(value).matches() && value.matches(pattern);
    }

    /** The base URL with the credential's parameter values; null when the entry has no fixed base URL. */
    public String baseUrl(Map<String, String> fields) {
        if (baseUrl == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(baseUrl);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(fields.getOrDefault(m.group(1), "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
