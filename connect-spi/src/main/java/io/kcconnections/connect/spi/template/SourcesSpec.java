package io.kcconnections.connect.spi.template;

import java.net.URI;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where each fact of a catalog entry comes from: the provider's own documentation, by kind of fact, and when it was
 * last checked. A catalog template (bundled or contributed) without sources for its endpoints and its token handling,
 * or without a checked date, is refused; one that declares quirks (see {@link ProviderTemplate#declaredQuirks()})
 * must also name the pages for them.
 *
 * @param checked   when the pages were last read: {@code YYYY-MM-DD}, or {@code YYYY-MM} when only the month was
 *                  recorded
 * @param endpoints pages stating the authorization, token, refresh, revocation, device and account URLs
 * @param tokens    pages stating client authentication, PKCE, token lifetimes and refresh behaviour
 * @param scopes    pages listing the scopes (optional: some providers have none)
 * @param quirks    pages for what differs from plain OAuth 2.0 (error codes, revocation shape, hooks, answer layout)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SourcesSpec(
        @JsonProperty("checked") String checked,
        @JsonProperty("endpoints") List<String> endpoints,
        @JsonProperty("tokens") List<String> tokens,
        @JsonProperty("scopes") List<String> scopes,
        @JsonProperty("quirks") List<String> quirks) {

    public SourcesSpec {
        checked = checked == null ? null : checked.strip();
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        quirks = quirks == null ? List.of() : List.copyOf(quirks);
    }

    /** Every page named, each once, in order of appearance. */
    public List<String> all() {
        Set<String> all = new LinkedHashSet<>();
        all.addAll(endpoints);
        all.addAll(tokens);
        all.addAll(scopes);
        all.addAll(quirks);
        return List.copyOf(all);
    }

    /** The checked date as a day (the first of the month when only the month is given), or null when it is not one. */
    public LocalDate checkedDate() {
        if (checked == null || checked.isEmpty()) {
            return null;
        }
        try {
            return checked.length() == 7 ? YearMonth.parse(checked).atDay(1) : LocalDate.parse(checked);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Problems of these sources for a template that declares the given quirks; {@code today} bounds the checked date.
     */
    public List<String> problems(List<String> declaredQuirks, LocalDate today) {
        List<String> problems = new ArrayList<>();
        LocalDate d = checkedDate();
        if (checked == null || checked.isEmpty()) {
            problems.add("sources.checked is required (YYYY-MM-DD): when the documentation was last read");
        } else if (d == null) {
            problems.add("sources.checked must be a date, YYYY-MM-DD (or YYYY-MM): " + checked);
        } else if (d.isAfter(today.plusDays(1))) {
            problems.add("sources.checked is in the future: " + checked);
        }
        if (endpoints.isEmpty()) {
            problems.add("sources.endpoints is required: the documentation stating the endpoint URLs");
        }
        if (tokens.isEmpty()) {
            problems.add("sources.tokens is required: the documentation stating client authentication, lifetimes and refresh");
        }
        if (!declaredQuirks.isEmpty() && quirks.isEmpty()) {
            problems.add("sources.quirks is required: the entry declares " + String.join(", ", declaredQuirks));
        }
        check(problems, "endpoints", endpoints);
        check(problems, "tokens", tokens);
        check(problems, "scopes", scopes);
        check(problems, "quirks", quirks);
        return problems;
    }

    private static void check(List<String> problems, String field, List<String> urls) {
        for (String url : urls) {
            try {
                URI u = new URI(url == null ? "" : url.strip());
                if (!"https".equals(u.getScheme()) || u.getHost() == null) {
                    problems.add("sources." + field + " must list absolute https URLs: " + url);
                }
            } catch (Exception e) {
                problems.add("sources." + field + " has an invalid URL: " + url);
            }
        }
    }
}
