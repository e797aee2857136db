package io.kcconnections.connect.admin;

import java.util.Objects;
import io.kcconnections.connect.connection.Inputs;
import io.kcconnections.connect.config.VaultReference;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.catalog.ProviderConfig;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ProviderSetting;
import io.kcconnections.connect.catalog.RealmProviderConfigs;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;

/**
 * A provider configuration in the admin API ({@code /admin/realms/{realm}/connect/providers}), both ways.
 * <ul>
 * <li>Answers ({@link #of}): what the registry says about a provider in a realm, never a secret: a client secret shows
 * as {@value ResolvedProvider#MASKED_SECRET} (a vault reference as the reference) with {@code clientSecretSet}.</li>
 * <li>PUT bodies (read by Jackson through {@link #fromJson}): the {@link ProviderSetting settings} (their JSON field
 * is {@link ProviderSetting#key()}) and {@code values}. The answer-only fields are accepted and ignored, so that a
 * GET–edit–PUT round trip works ({@code name} must then match the path). Values are read strictly, not coerced:
 * a string setting takes a JSON string, a boolean one a JSON boolean, {@code scopes} a list of strings (or one string,
 * split at commas and blanks); what is wrong is collected in {@link #problems(String)}, one line per field.</li>
 * </ul>
 */
@JsonAutoDetect(getterVisibility = JsonAutoDetect.Visibility.NONE, isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        fieldVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"name", "displayName", "category", "source", "enabled", "status", "problems", "overridesEnvironment",
        "clientId", "clientSecret", "clientSecretSet", "scopes", "authorizeUrl", "tokenUrl", "userinfoUrl", "revokeUrl",
        "pkce", "loginEnabled", "loginConnect", "allowedClients", "values", "connectionParams"})
public final class ProviderConfigRepresentation {

    /** Fields of an answer that a PUT body may carry but does not set. */
    static final Set<String> READ_ONLY = Set.of("name", "displayName", "category", "source", "status", "problems",
            "clientSecretSet", "overridesEnvironment", "connectionParams", "componentId");
    /** The field holding the template parameter values. */
    static final String VALUES = "values";
    /** Template parameter names, as {@link TemplateParam} requires them. */
    private static final Pattern PARAM_NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final Map<ProviderSetting, Object> settings = new EnumMap<>(ProviderSetting.class);
    private final Map<String, String> values = new LinkedHashMap<>();
    // Answers only.
    private String name;
    private String displayName;
    private String category;
    private String source;
    private String status;
    private List<String> problems;
    private Boolean overridesEnvironment;
    private List<String> connectionParams;
    // Bodies only: what is wrong, and the body's name (checked against the path where it stood among the fields).
    private final List<String> invalid = new ArrayList<>();
    private String bodyName;
    private int bodyNameAt;

    private ProviderConfigRepresentation() {
    }

    /** The answer for a registry entry. */
    public static ProviderConfigRepresentation of(ProviderRegistry.Entry e) {
        ProviderConfigRepresentation r = new ProviderConfigRepresentation();
        ProviderTemplate t = e.template();
        ProviderConfig c = e.config();
        r.name = e.name();
        r.displayName = t == null ? e.name() : t.displayName();
        r.category = t == null ? null : t.category();
        r.source = e.source().id();
        r.status = !e.problems().isEmpty() ? "problems" : !e.enabled() ? "disabled" : "ok";
        r.problems = e.problems();
        r.overridesEnvironment = e.source() == ProviderRegistry.Source.REALM ? e.overridesEnvironment() : null;
        for (ProviderSetting s : ProviderSetting.values()) {
            r.settings.put(s, s.inConfig() ? s.get(c) : e.enabled());
        }
        r.values.putAll(c.values());
        r.connectionParams = t == null ? List.of()
                : t.params().stream().filter(TemplateParam::perConnection).map(TemplateParam::name).toList();
        return r;
    }

    /** A PUT body; anything but a JSON object is a problem. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ProviderConfigRepresentation fromJson(JsonNode body) {
        ProviderConfigRepresentation r = new ProviderConfigRepresentation();
        if (body == null || !body.isObject()) {
            r.invalid.add("the body must be a JSON object");
            return r;
        }
        for (Map.Entry<String, JsonNode> f : body.properties()) {
            String k = f.getKey();
            JsonNode v = f.getValue();
            ProviderSetting s = ProviderSetting.byKey(k);
            if (READ_ONLY.contains(k)) {
                if (k.equals("name") && v.isTextual()) {
                    r.bodyName = v.asText();
                    r.bodyNameAt = r.invalid.size();
                }
            } else if (v.isNull()) {
                continue;
            } else if (s != null) {
                r.readSetting(s, v);
            } else if (k.equals(VALUES)) {
                r.readValues(v);
            } else {
                r.invalid.add("unknown field '" + Inputs.shown(k) + "'");
            }
        }
        return r;
    }

    private void readSetting(ProviderSetting s, JsonNode v) {
        switch (s.type()) {
            case STRING -> {
                if (!v.isTextual()) {
                    invalid.add("'" + s.key() + "' must be a string");
                } else {
                    settings.put(s, s.parse(v.asText()));
                }
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    invalid.add("'" + s.key() + "' must be true or false");
                } else {
                    settings.put(s, v.asBoolean());
                }
            }
            case LIST -> settings.put(s, list(s, v));
        }
        settings.values().removeIf(Objects::isNull);
    }

    /** One string split like the environment's, or a list of strings; empty is unset. */
    private List<String> list(ProviderSetting s, JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            Object parsed = s.parse(v.asText());
            if (parsed instanceof List<?> l) {
                l.forEach(x -> out.add((String) x));
            }
        } else if (v.isArray()) {
            for (JsonNode x : v) {
                if (!x.isTextual()) {
                    invalid.add("'" + s.key() + "' must be a list of strings");
                    break;
                }
                if (!x.asText().isBlank()) {
                    out.add(x.asText().trim());
                }
            }
        } else {
            invalid.add("'" + s.key() + "' must be a list of strings");
        }
        return out.isEmpty() ? null : out;
    }

    private void readValues(JsonNode v) {
        if (!v.isObject()) {
            invalid.add("'" + VALUES + "' must be an object of template parameter names to strings");
            return;
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (e.getValue().isNull()) {
                continue;
            }
            if (!e.getValue().isTextual()) {
                invalid.add(VALUES + "." + Inputs.shown(e.getKey()) + " must be a string");
            } else if (RealmProviderConfigs.reserved(e.getKey()) || !PARAM_NAME.matcher(e.getKey()).matches()) {
                invalid.add("'" + Inputs.shown(e.getKey()) + "' is not a template parameter name");
            } else if (!e.getValue().asText().isBlank()) {
                values.put(e.getKey(), e.getValue().asText().trim());
            }
        }
    }

    /** What is wrong with a PUT body for the provider at this path; empty when nothing is. */
    public List<String> problems(String pathName) {
        List<String> out = new ArrayList<>(invalid);
        if (bodyName != null && !bodyName.equals(pathName)) {
            out.add(bodyNameAt, "name '" + Inputs.shown(bodyName) + "' does not match the path ("
                    + pathName + ")");
        }
        return out;
    }

    /** The realm configuration a PUT body describes, with this client secret (the body's, or the stored one it keeps). */
    public ProviderConfig toConfig(String providerName, String clientSecret) {
        ProviderConfig.Builder b = ProviderConfig.builder(providerName, "realm");
        settings.forEach((s, v) -> {
            if (s.inConfig()) {
                b.set(s, v);
            }
        });
        b.set(ProviderSetting.CLIENT_SECRET, clientSecret);
        values.forEach(b::value);
        return b.build();
    }

    /** A PUT body's setting as sent (strings trimmed); null when unset. */
    public Object setting(ProviderSetting s) {
        return settings.get(s);
    }

    /** False only when {@code enabled} is false. */
    public boolean enabled() {
        return !Boolean.FALSE.equals(settings.get(ProviderSetting.ENABLED));
    }

    // --- the JSON fields -------------------------------------------------------------------------------------------

    @JsonProperty("name")
    public String getName() {
        return name;
    }

    @JsonProperty("displayName")
    public String getDisplayName() {
        return displayName;
    }

    @JsonProperty("category")
    public String getCategory() {
        return category;
    }

    @JsonProperty("source")
    public String getSource() {
        return source;
    }

    @JsonProperty("enabled")
    public Boolean getEnabled() {
        return (Boolean) settings.get(ProviderSetting.ENABLED);
    }

    @JsonProperty("status")
    public String getStatus() {
        return status;
    }

    @JsonProperty("problems")
    public List<String> getProblems() {
        return problems;
    }

    /** Realm entries only. */
    @JsonProperty("overridesEnvironment")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Boolean getOverridesEnvironment() {
        return overridesEnvironment;
    }

    @JsonProperty("clientId")
    public String getClientId() {
        return (String) settings.get(ProviderSetting.CLIENT_ID);
    }

    /** Never the secret: the mask, or the vault reference; absent when there is no secret. */
    @JsonProperty("clientSecret")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String getClientSecret() {
        String secret = (String) settings.get(ProviderSetting.CLIENT_SECRET);
        if (secret == null || secret.isBlank()) {
            return null;
        }
        return VaultReference.is(secret) ? secret : ResolvedProvider.MASKED_SECRET;
    }

    @JsonProperty("clientSecretSet")
    public boolean getClientSecretSet() {
        return getClientSecret() != null;
    }

    @JsonProperty("scopes")
    @SuppressWarnings("unchecked")
    public List<String> getScopes() {
        return (List<String>) settings.get(ProviderSetting.SCOPES);
    }

    @JsonProperty("authorizeUrl")
    public String getAuthorizeUrl() {
        return (String) settings.get(ProviderSetting.AUTHORIZE_URL);
    }

    @JsonProperty("tokenUrl")
    public String getTokenUrl() {
        return (String) settings.get(ProviderSetting.TOKEN_URL);
    }

    @JsonProperty("userinfoUrl")
    public String getUserinfoUrl() {
        return (String) settings.get(ProviderSetting.USERINFO_URL);
    }

    @JsonProperty("revokeUrl")
    public String getRevokeUrl() {
        return (String) settings.get(ProviderSetting.REVOKE_URL);
    }

    @JsonProperty("pkce")
    public Boolean getPkce() {
        return (Boolean) settings.get(ProviderSetting.PKCE);
    }

    @JsonProperty("loginEnabled")
    public Boolean getLoginEnabled() {
        return (Boolean) settings.get(ProviderSetting.LOGIN_ENABLED);
    }

    @JsonProperty("loginConnect")
    public Boolean getLoginConnect() {
        return (Boolean) settings.get(ProviderSetting.LOGIN_CONNECT);
    }

    @JsonProperty("allowedClients")
    @SuppressWarnings("unchecked")
    public List<String> getAllowedClients() {
        return (List<String>) settings.get(ProviderSetting.ALLOWED_CLIENTS);
    }

    @JsonProperty(VALUES)
    public Map<String, String> getValues() {
        return values;
    }

    @JsonProperty("connectionParams")
    public List<String> getConnectionParams() {
        return connectionParams;
    }
}
