package io.kcconnections.connect.oauth;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kcconnections.connect.catalog.ResolvedProvider;
import io.kcconnections.connect.spi.ProviderHook;
import io.kcconnections.connect.spi.template.ProviderTemplate;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The provider hook a template names, run on authorization parameters, token requests and token answers. A hook that
 * fails fails the call; its message must hold no secret (it is shortened and stripped of control characters).
 */
final class ProviderHooks {

    /** The log category stays {@link OAuthClient}'s, as before the split. */
    private static final Logger LOG = Logger.getLogger(OAuthClient.class);

    private final KeycloakSession session;

    ProviderHooks(KeycloakSession session) {
        this.session = session;
    }

    /** The template's hook; null when it names none, or names one that is not deployed (logged). */
    ProviderHook find(ProviderTemplate t) {
        if (t.hook() == null) {
            return null;
        }
        ProviderHook h = session.getProvider(ProviderHook.class, t.hook());
        if (h == null) {
            LOG.warnf("provider %s names hook '%s', which is not deployed", t.name(), t.hook());
        }
        return h;
    }

    ProviderHook.Context context(ResolvedProvider p, RealmModel realm) {
        return new ProviderHook.Context(session, realm, p.template(), p.values(), p.clientId());
    }

    /** Lets the hook adjust the authorization request's query parameters. */
    void authorizeParams(ResolvedProvider p, RealmModel realm, Map<String, String> query) {
        ProviderHook hook = find(p.template());
        if (hook != null) {
            hook.authorizeParams(context(p, realm), query);
        }
    }

    /** Runs the hook on a request to a token or revocation endpoint. */
    void tokenRequest(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, Map<String, String> body,
                      Map<String, String> headers) throws ProviderCallException {
        ProviderHook hook = find(p.template());
        if (hook == null) {
            return;
        }
        try {
            hook.tokenRequest(context(p, realm), step, body, headers);
        } catch (RuntimeException e) {
            LOG.warnf("provider %s: hook '%s' refused the %s request: %s", p.name(), p.template().hook(), step,
                    TokenResponses.safeText(String.valueOf(e.getMessage())));
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "hook_failed", 0, null,
                    "hook " + p.template().hook() + " failed: " + TokenResponses.safeText(String.valueOf(e.getMessage())));
        }
    }

    /** Runs the hook on a token endpoint's answer (when it is a JSON object or a form). */
    void tokenResponse(ResolvedProvider p, RealmModel realm, ProviderHook.Step step, int status, ObjectNode json)
            throws ProviderCallException {
        ProviderTemplate t = p.template();
        ProviderHook hook = find(t);
        if (json == null || hook == null) {
            return;
        }
        try {
            hook.tokenResponse(context(p, realm), step, json);
        } catch (RuntimeException e) {
            throw new ProviderCallException(ProviderCallException.Kind.TRANSIENT, "hook_failed", status, null,
                    "hook " + t.hook() + " failed on the answer: " + TokenResponses.safeText(String.valueOf(e.getMessage())));
        }
    }
}
