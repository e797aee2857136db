package io.kcconnections.connect.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import io.kcconnections.connect.ConnectService;
import io.kcconnections.connect.catalog.ProviderConfig;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.realm.ProviderConfigComponent;
import io.kcconnections.connect.realm.ProviderConfigComponentFactory;
import io.kcconnections.connect.realm.RealmProviderConfigs;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import io.kcconnections.connect.spi.template.TemplateParam;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.util.JsonSerialization;

/**
 * {@code /admin/realms/{realm}/connect/providers}: the realm's provider configurations.
 * <ul>
 * <li>{@code GET} lists every provider configured for the realm, by the realm or by the environment, with its status
 * and problems; {@code GET /{name}} one of them;</li>
 * <li>{@code PUT /{name}} creates or replaces the realm's configuration of a provider (400 with the problems when it
 * is refused; nothing is stored then);</li>
 * <li>{@code DELETE /{name}} removes it; the environment's configuration of the provider, if any, applies again.</li>
 * </ul>
 * Reads need {@code view-realm}, writes {@code manage-realm} (Keycloak's own evaluator, first line of each method).
 * Secrets are never answered: a client secret shows as {@value ResolvedProvider#MASKED_SECRET} (and
 * {@code clientSecretSet}), a vault reference as the reference. Sending {@value ResolvedProvider#MASKED_SECRET} back in a
 * {@code PUT} keeps the stored secret.
 */
public class AdminProvidersResource {

    /** Admin event resource type of these changes. */
    public static final String RESOURCE_TYPE = "CONNECT_PROVIDER";
    private static final Pattern VAULT_REFERENCE = Pattern.compile("^\\$\\{vault\\.(.+?)}$");
    private static final Set<String> READ_ONLY = Set.of("name", "displayName", "category", "source", "status", "problems",
            "clientSecretSet", "overridesEnvironment", "connectionParams", "componentId");
    private static final Set<String> STRINGS = Set.of(RealmProviderConfigs.CLIENT_ID, RealmProviderConfigs.CLIENT_SECRET,
            RealmProviderConfigs.AUTHORIZE_URL, RealmProviderConfigs.TOKEN_URL, RealmProviderConfigs.USERINFO_URL,
            RealmProviderConfigs.REVOKE_URL);
    private static final Set<String> BOOLEANS = Set.of(RealmProviderConfigs.ENABLED, RealmProviderConfigs.PKCE,
            RealmProviderConfigs.LOGIN_ENABLED, RealmProviderConfigs.LOGIN_CONNECT);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    AdminProvidersResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                           AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        auth.realm().requireViewRealm();
        List<Map<String, Object>> out = new ArrayList<>();
        for (ProviderRegistry.Entry e : registry().entries(session, realm)) {
            out.add(representation(e));
        }
        return json(200, out);
    }

    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("name") String name) {
        auth.realm().requireViewRealm();
        ProviderRegistry.Entry e = ProviderTemplate.NAME.matcher(name).matches() ? registry().entry(session, realm, name) : null;
        if (e == null) {
            return error(404, "not_found", "provider " + shown(name) + " is not configured in this realm", null);
        }
        return json(200, representation(e));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("name") String name, String body) {
        auth.realm().requireManageRealm();
        if (!ProviderTemplate.NAME.matcher(name).matches()) {
            return error(400, "invalid_request", "'" + shown(name) + "' is not a provider name", null);
        }
        ProviderRegistry registry = registry();
        List<ComponentModel> existing = ProviderRegistry.components(realm).filter(c -> name.equals(c.getName())).toList();
        List<String> problems = new ArrayList<>();
        Body parsed = parseBody(name, body, existing, problems);
        if (parsed == null || !problems.isEmpty()) {
            return error(400, "invalid_provider_config", "the configuration is refused: " + String.join("; ", problems), problems);
        }
        ComponentModel model = new ComponentModel();
        ComponentModel keep = existing.isEmpty() ? null : existing.get(0);
        model.setId(keep == null ? null : keep.getId());
        model.setName(name);
        model.setParentId(realm.getId());
        model.setProviderType(ProviderConfigComponent.TYPE);
        model.setProviderId(ProviderConfigComponentFactory.ID);
        model.setConfig(RealmProviderConfigs.toComponentConfig(parsed.config(), parsed.enabled()));
        Set<String> replaced = new java.util.HashSet<>();
        existing.stream().skip(1).forEach(c -> replaced.add(c.getId()));
        ProviderRegistry.Entry checked = registry.check(realm, model, replaced);
        if (!checked.problems().isEmpty()) {
            return error(400, "invalid_provider_config", "the configuration is refused: "
                    + String.join("; ", checked.problems()), checked.problems());
        }
        try {
            for (ComponentModel extra : existing.subList(Math.min(1, existing.size()), existing.size())) {
                realm.removeComponent(extra);
            }
            if (keep == null) {
                model = realm.addComponentModel(model);
            } else {
                realm.updateComponent(model);
            }
        } catch (ComponentValidationException e) {
            session.getTransactionManager().setRollbackOnly();
            String msg = e.getParameters() != null && e.getParameters().length == 1
                    ? String.valueOf(e.getParameters()[0]) : e.getMessage();
            return error(400, "invalid_provider_config", msg, List.of(msg));
        }
        ProviderRegistry.Entry saved = registry.check(realm, model, Set.of());
        Map<String, Object> rep = representation(saved);
        adminEvent.operation(keep == null ? OperationType.CREATE : OperationType.UPDATE).resource(RESOURCE_TYPE)
                .resourcePath("connect", "providers", name).representation(rep).success();
        if (keep == null) {
            return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore())
                    .location(session.getContext().getUri().getAbsolutePath()).entity(rep).build();
        }
        return json(200, rep);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        auth.realm().requireManageRealm();
        List<ComponentModel> existing = ProviderTemplate.NAME.matcher(name).matches()
                ? ProviderRegistry.components(realm).filter(c -> name.equals(c.getName())).toList() : List.of();
        if (existing.isEmpty()) {
            return error(404, "not_found", "this realm has no configuration of provider " + shown(name), null);
        }
        for (ComponentModel c : existing) {
            realm.removeComponent(c);
        }
        adminEvent.operation(OperationType.DELETE).resource(RESOURCE_TYPE).resourcePath("connect", "providers", name)
                .success();
        return Response.noContent().build();
    }

    /** A PUT body: the configuration and whether it enables the provider. */
    private record Body(ProviderConfig config, boolean enabled) {
    }

    /** The configuration a PUT body describes; null (with problems) when the body is not usable at all. */
    private Body parseBody(String name, String body, List<ComponentModel> existing, List<String> problems) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : JsonSerialization.mapper.readTree(body);
        } catch (IOException e) {
            problems.add("the body is not valid JSON");
            return null;
        }
        if (json == null || !json.isObject()) {
            problems.add("the body must be a JSON object");
            return null;
        }
        Map<String, String> strings = new LinkedHashMap<>();
        Map<String, Boolean> booleans = new LinkedHashMap<>();
        List<String> scopes = null;
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            JsonNode v = f.getValue();
            if (READ_ONLY.contains(k)) {
                if (k.equals("name") && v.isTextual() && !v.asText().equals(name)) {
                    problems.add("name '" + shown(v.asText()) + "' does not match the path (" + name + ")");
                }
                continue;
            }
            if (v.isNull()) {
                continue;
            }
            if (STRINGS.contains(k)) {
                if (!v.isTextual()) {
                    problems.add("'" + k + "' must be a string");
                } else if (!v.asText().isBlank()) {
                    strings.put(k, v.asText().trim());
                }
            } else if (BOOLEANS.contains(k)) {
                if (!v.isBoolean()) {
                    problems.add("'" + k + "' must be true or false");
                } else {
                    booleans.put(k, v.asBoolean());
                }
            } else if (k.equals(RealmProviderConfigs.SCOPES)) {
                scopes = new ArrayList<>();
                if (v.isTextual()) {
                    for (String s : v.asText().trim().split("[,\\s]+")) {
                        if (!s.isEmpty()) {
                            scopes.add(s);
                        }
                    }
                } else if (v.isArray()) {
                    for (JsonNode s : v) {
                        if (!s.isTextual()) {
                            problems.add("'scopes' must be a list of strings");
                            break;
                        }
                        if (!s.asText().isBlank()) {
                            scopes.add(s.asText().trim());
                        }
                    }
                } else {
                    problems.add("'scopes' must be a list of strings");
                }
            } else if (k.equals("values")) {
                if (!v.isObject()) {
                    problems.add("'values' must be an object of template parameter names to strings");
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> pv = v.fields(); pv.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = pv.next();
                    if (e.getValue().isNull()) {
                        continue;
                    }
                    if (!e.getValue().isTextual()) {
                        problems.add("values." + shown(e.getKey()) + " must be a string");
                    } else if (RealmProviderConfigs.reserved(e.getKey()) || !TemplateParamName.matches(e.getKey())) {
                        problems.add("'" + shown(e.getKey()) + "' is not a template parameter name");
                    } else if (!e.getValue().asText().isBlank()) {
                        values.put(e.getKey(), e.getValue().asText().trim());
                    }
                }
            } else {
                problems.add("unknown field '" + shown(k) + "'");
            }
        }
        String secret = strings.get(RealmProviderConfigs.CLIENT_SECRET);
        if (ResolvedProvider.MASKED_SECRET.equals(secret)) {
            String stored = existing.isEmpty() ? null : existing.get(0).get(RealmProviderConfigs.CLIENT_SECRET);
            if (stored == null || stored.isBlank()) {
                problems.add("clientSecret " + ResolvedProvider.MASKED_SECRET + " keeps the stored secret, but this realm "
                        + "stores none for " + name);
            }
            secret = stored;
        }
        ProviderConfig config = new ProviderConfig(name, "realm", strings.get(RealmProviderConfigs.CLIENT_ID), secret,
                scopes == null || scopes.isEmpty() ? null : scopes, strings.get(RealmProviderConfigs.AUTHORIZE_URL),
                strings.get(RealmProviderConfigs.TOKEN_URL), strings.get(RealmProviderConfigs.USERINFO_URL),
                strings.get(RealmProviderConfigs.REVOKE_URL), booleans.get(RealmProviderConfigs.PKCE), values,
                booleans.get(RealmProviderConfigs.LOGIN_ENABLED),
                booleans.get(RealmProviderConfigs.LOGIN_CONNECT));
        return new Body(config, !Boolean.FALSE.equals(booleans.get(RealmProviderConfigs.ENABLED)));
    }

    /** What the admin API shows of an entry: never a secret. */
    static Map<String, Object> representation(ProviderRegistry.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        ProviderTemplate t = e.template();
        ProviderConfig c = e.config();
        m.put("name", e.name());
        m.put("displayName", t == null ? e.name() : t.displayName());
        m.put("category", t == null ? null : t.category());
        m.put("source", e.source().id());
        m.put("enabled", e.enabled());
        m.put("status", !e.problems().isEmpty() ? "problems" : !e.enabled() ? "disabled" : "ok");
        m.put("problems", e.problems());
        if (e.source() == ProviderRegistry.Source.REALM) {
            m.put("overridesEnvironment", e.overridesEnvironment());
        }
        m.put("clientId", c.clientId());
        String secret = c.clientSecret();
        boolean set = secret != null && !secret.isBlank();
        if (set) {
            m.put("clientSecret", VAULT_REFERENCE.matcher(secret).matches() ? secret : ResolvedProvider.MASKED_SECRET);
        }
        m.put("clientSecretSet", set);
        m.put("scopes", c.scopes());
        m.put("authorizeUrl", c.authorizeUrl());
        m.put("tokenUrl", c.tokenUrl());
        m.put("userinfoUrl", c.userinfoUrl());
        m.put("revokeUrl", c.revokeUrl());
        m.put("pkce", c.pkce());
        m.put("loginEnabled", c.loginEnabled());
        m.put("loginConnect", c.loginConnect());
        m.put("values", new LinkedHashMap<>(c.values()));
        List<String> perConnection = new ArrayList<>();
        if (t != null) {
            for (TemplateParam p : t.params()) {
                if (p.perConnection()) {
                    perConnection.add(p.name());
                }
            }
        }
        m.put("connectionParams", perConnection);
        return m;
    }

    private ProviderRegistry registry() {
        return session.getProvider(ConnectService.class).registry();
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore()).entity(body).build();
    }

    static Response error(int status, String code, String description, List<String> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        if (problems != null) {
            body.put("problems", problems);
        }
        return json(status, body);
    }

    static CacheControl noStore() {
        CacheControl cc = new CacheControl();
        cc.setNoStore(true);
        cc.setNoCache(true);
        return cc;
    }

    /** A value echoed into a message: short, printable. */
    static String shown(String v) {
        String s = v == null ? "" : v.replaceAll("[^A-Za-z0-9._:/@+-]", "_");
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    /** Template parameter names, as {@link TemplateParam} requires them. */
    private static final class TemplateParamName {
        private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

        static boolean matches(String s) {
            return NAME.matcher(s).matches();
        }
    }
}
