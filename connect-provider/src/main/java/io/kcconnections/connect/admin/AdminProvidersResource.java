package io.kcconnections.connect.admin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.kcconnections.connect.connection.ConnectError;
import io.kcconnections.connect.connection.ConnectService;
import io.kcconnections.connect.connection.Inputs;
import io.kcconnections.connect.rest.Responses;
import io.kcconnections.connect.catalog.ProviderRegistry;
import io.kcconnections.connect.catalog.ProviderSetting;
import io.kcconnections.connect.catalog.RealmProviderConfigs;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.realm.ProviderConfigComponent;
import io.kcconnections.connect.realm.ProviderConfigComponentFactory;
import io.kcconnections.connect.spi.template.ProviderTemplate;
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
        List<ProviderConfigRepresentation> out = new ArrayList<>();
        for (ProviderRegistry.Entry e : registry().entries(session, realm)) {
            out.add(ProviderConfigRepresentation.of(e));
        }
        return Responses.json(200, out);
    }

    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("name") String name) {
        auth.realm().requireViewRealm();
        ProviderRegistry.Entry e = ProviderTemplate.NAME.matcher(name).matches() ? registry().entry(session, realm, name) : null;
        if (e == null) {
            return error(404, "not_found", "provider " + Inputs.shown(name) + " is not configured in this realm", null);
        }
        return Responses.json(200, ProviderConfigRepresentation.of(e));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("name") String name, String body) {
        auth.realm().requireManageRealm();
        if (!ProviderTemplate.NAME.matcher(name).matches()) {
            return error(400, "invalid_request", "'" + Inputs.shown(name) + "' is not a provider name", null);
        }
        ProviderRegistry registry = registry();
        List<ComponentModel> existing = existing(name);
        List<String> problems = new ArrayList<>();
        ComponentModel model = candidate(name, body, existing, problems);
        if (model == null) {
            return refused(problems);
        }
        if (loginOn(model) || existing.stream().anyMatch(AdminProvidersResource::loginOn)) {
            // Login through the provider is a Keycloak identity provider: the same permission as managing those.
            auth.realm().requireManageIdentityProviders();
        }
        Set<String> replaced = new HashSet<>();
        existing.stream().skip(1).forEach(c -> replaced.add(c.getId()));
        ProviderRegistry.Entry checked = registry.check(realm, model, replaced);
        if (!checked.problems().isEmpty()) {
            return refused(checked.problems());
        }
        boolean created = model.getId() == null;
        try {
            model = store(model, existing);
        } catch (ComponentValidationException e) {
            session.getTransactionManager().setRollbackOnly();
            String msg = e.getParameters() != null && e.getParameters().length == 1
                    ? String.valueOf(e.getParameters()[0]) : e.getMessage();
            return error(400, "invalid_provider_config", msg, List.of(msg));
        }
        ProviderConfigRepresentation rep = ProviderConfigRepresentation.of(registry.check(realm, model, Set.of()));
        adminEvent.operation(created ? OperationType.CREATE : OperationType.UPDATE).resource(RESOURCE_TYPE)
                .resourcePath("connect", "providers", name).representation(rep).success();
        if (created) {
            return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE).cacheControl(ConnectError.noStore())
                    .location(session.getContext().getUri().getAbsolutePath()).entity(rep).build();
        }
        return Responses.json(200, rep);
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        auth.realm().requireManageRealm();
        List<ComponentModel> existing = ProviderTemplate.NAME.matcher(name).matches() ? existing(name) : List.of();
        if (existing.stream().anyMatch(AdminProvidersResource::loginOn)) {
            auth.realm().requireManageIdentityProviders();
        }
        if (existing.isEmpty()) {
            return error(404, "not_found", "this realm has no configuration of provider " + Inputs.shown(name), null);
        }
        for (ComponentModel c : existing) {
            realm.removeComponent(c);
        }
        adminEvent.operation(OperationType.DELETE).resource(RESOURCE_TYPE).resourcePath("connect", "providers", name)
                .success();
        return Response.noContent().build();
    }

    /** Whether a configuration offers the provider for login (which makes and changes identity providers). */
    private static boolean loginOn(ComponentModel c) {
        return "true".equals(c.get(ProviderSetting.LOGIN_ENABLED.key()));
    }

    /** The realm's components configuring a provider, in storage order. */
    private List<ComponentModel> existing(String name) {
        return ProviderRegistry.components(realm).filter(c -> name.equals(c.getName())).toList();
    }

    /**
     * The component a PUT body describes, replacing the first existing one (same id); null, with the problems, when
     * the body is refused as it stands.
     */
    private ComponentModel candidate(String name, String body, List<ComponentModel> existing, List<String> problems) {
        ProviderConfigRepresentation rep = read(body, problems);
        if (rep == null) {
            return null;
        }
        problems.addAll(rep.problems(name));
        String secret = (String) rep.setting(ProviderSetting.CLIENT_SECRET);
        if (ResolvedProvider.MASKED_SECRET.equals(secret)) {
            String stored = existing.isEmpty() ? null : existing.get(0).get(ProviderSetting.CLIENT_SECRET.key());
            if (stored == null || stored.isBlank()) {
                problems.add("clientSecret " + ResolvedProvider.MASKED_SECRET + " keeps the stored secret, but this realm "
                        + "stores none for " + name);
            }
            secret = stored;
        }
        if (!problems.isEmpty()) {
            return null;
        }
        ComponentModel model = new ComponentModel();
        model.setId(existing.isEmpty() ? null : existing.get(0).getId());
        model.setName(name);
        model.setParentId(realm.getId());
        model.setProviderType(ProviderConfigComponent.TYPE);
        model.setProviderId(ProviderConfigComponentFactory.ID);
        model.setConfig(RealmProviderConfigs.toComponentConfig(rep.toConfig(name, secret), rep.enabled()));
        return model;
    }

    /** A PUT body as a representation; null (with the problem) when it is not JSON at all. */
    private static ProviderConfigRepresentation read(String body, List<String> problems) {
        try {
            ProviderConfigRepresentation rep = body == null || body.isBlank() ? null
                    : JsonSerialization.mapper.readValue(body, ProviderConfigRepresentation.class);
            return rep != null ? rep : ProviderConfigRepresentation.fromJson(null);
        } catch (IOException e) {
            problems.add("the body is not valid JSON");
            return null;
        }
    }

    /** Stores a checked component: the extra configurations of the provider go, the first is replaced or one added. */
    private ComponentModel store(ComponentModel model, List<ComponentModel> existing) {
        for (ComponentModel extra : existing.subList(Math.min(1, existing.size()), existing.size())) {
            realm.removeComponent(extra);
        }
        if (model.getId() == null) {
            return realm.addComponentModel(model);
        }
        realm.updateComponent(model);
        return model;
    }

    private static Response refused(List<String> problems) {
        return error(400, "invalid_provider_config", "the configuration is refused: " + String.join("; ", problems), problems);
    }

    private ProviderRegistry registry() {
        return session.getProvider(ConnectService.class).registry();
    }

    private static Response error(int status, String code, String description, List<String> problems) {
        return new ConnectError(status, code, description, problems).toResponse();
    }
}
