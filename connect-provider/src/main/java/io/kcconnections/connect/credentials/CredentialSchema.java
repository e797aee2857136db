package io.kcconnections.connect.credentials;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kcconnections.connect.net.HostPolicy;

/**
 * Holds a credential's values to its type's schema and its provider's rules. {@link #check} answers the values split
 * into plain fields and secrets, or every problem, each naming its field; a message never repeats a value.
 */
public final class CredentialSchema {

    /** A problem with one field. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /** The outcome: problems, or the plain fields (defaults filled in) and the secrets. */
    public record Checked(List<Problem> problems, Map<String, String> fields, Map<String, String> secrets) {
        public boolean ok() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return "Checked[problems=" + problems + ", fields=" + fields.keySet() + ", secrets=" + secrets.keySet() + "]";
        }
    }

    private CredentialSchema() {
    }

    public static Checked check(CredentialType type, CredentialProvider provider, Map<String, String> values,
                                HostPolicy policy) {
        List<Problem> p = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            FieldSpec spec = type.field(name).orElse(null);
            if (spec == null && provider != null && provider.params().containsKey(name)) {
                if (value == null || !provider.paramAllowed(name, value)) {
                    p.add(new Problem(name, "is not a valid value for " + provider.name()));
                } else {
                    fields.put(name, value);
                }
                return;
            }
            if (spec == null) {
                p.add(new Problem(Shown.name(name), "is not a field of " + type.id()
                        + (provider == null ? "" : " for " + provider.name())));
                return;
            }
            if (value == null) {
                return;
            }
            String problem = spec.problem(value, policy);
            if (problem != null) {
                p.add(new Problem(name, problem));
            } else {
                (spec.secret() ? secrets : fields).put(name, value);
            }
        });
        for (FieldSpec f : type.fields()) {
            boolean present = fields.containsKey(f.name()) || secrets.containsKey(f.name());
            if (!present && f.required() && p.stream().noneMatch(x -> x.field().equals(f.name()))) {
                p.add(new Problem(f.name(), "is required"));
            } else if (!present && f.defaultValue() != null) {
                fields.put(f.name(), f.defaultValue());
            }
        }
        if (provider != null) {
            provider.params().keySet().stream().filter(k -> !values.containsKey(k))
                    .forEach(k -> p.add(new Problem(k, "is required for " + provider.name())));
        }
        rules(type, provider, fields, secrets, policy, p);
        return new Checked(List.copyOf(p), fields, secrets);
    }

    /** Rules across fields: where an HTTP credential goes and how, and no password in the clear to a public host. */
    private static void rules(CredentialType type, CredentialProvider provider, Map<String, String> fields,
                              Map<String, String> secrets, HostPolicy policy, List<Problem> p) {
        if (type.http()) {
            if (provider != null) {
                for (String f : List.of("header", "prefix", "query_param")) {
                    if (fields.containsKey(f)) {
                        p.add(new Problem(f, "is set by the provider " + provider.name()));
                    }
                }
                if (provider.baseUrl() != null && fields.containsKey("base_url")) {
                    p.add(new Problem("base_url", "is set by the provider " + provider.name()));
                } else if (provider.baseUrl() == null && !fields.containsKey("base_url")) {
                    p.add(new Problem("base_url", "is required for " + provider.name()));
                }
            } else if (!fields.containsKey("base_url") && type != CredentialType.GENERIC_HTTP) {
                p.add(new Problem("base_url", "is required without a provider"));
            }
        }
        if (provider == null && type == CredentialType.API_KEY
                && fields.containsKey("header") == fields.containsKey("query_param")) {
            p.add(new Problem("header", "name either a header or a query_param for the key"));
        }
        if (type == CredentialType.GENERIC_HTTP) {
            if (secrets.containsKey("token") && secrets.containsKey("api_key")) {
                p.add(new Problem("api_key", "give either a token or an api_key"));
            } else if (secrets.containsKey("api_key") && !fields.containsKey("header")) {
                p.add(new Problem("header", "is required with an api_key"));
            }
        }
        if (type == CredentialType.DATABASE && fields.containsKey("database")
                && !fields.get("database").matches(DatabaseCheck.DATABASE_NAME)) {
            p.add(new Problem("database", "may hold only letters, digits and _ $ . -"));
        }
        boolean clear = (type == CredentialType.SMTP && "none".equals(fields.get("tls")))
                || (type == CredentialType.DATABASE && "disable".equals(fields.get("tls")));
        if (clear && secrets.containsKey("password") && !policy.allowPrivate()) {
            p.add(new Problem("tls", "a password is never sent in the clear; use TLS"));
        }
        if (type == CredentialType.SMTP && secrets.containsKey("password") != fields.containsKey("username")) {
            p.add(new Problem("username", "username and password go together"));
        }
    }

    /** Field names as echoed in problems: short and printable. */
    static final class Shown {
        static String name(String n) {
            String s = n == null ? "" : n.replaceAll("[^A-Za-z0-9_.-]", "?");
            return s.length() > 64 ? s.substring(0, 64) + "…" : s;
        }
    }
}
