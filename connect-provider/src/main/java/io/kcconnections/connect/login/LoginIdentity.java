package io.kcconnections.connect.login;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.keycloak.util.JsonSerialization;

import io.kcconnections.connect.oauth.OAuthClient;

/**
 * What a login through a catalog provider tells Keycloak about the person, from the provider's account answer and the
 * callback: a stable id, a username, the email only when the provider says it is verified, and a name.
 * <p>
 * Sign in with Apple sends the person's name once, on the first authorization, in the {@code user} field of its
 * {@code form_post} callback ({@code {"name":{"firstName","lastName"},"email"}}); it is taken from there when the
 * template captures {@code user} from the callback. Apple's {@code email} in that field is not used: the ID token's,
 * with its {@code email_verified}, is.
 *
 * @param id            the provider's stable account id (the federated identity's user id)
 * @param username      a username for Keycloak's first-login flow: the verified email, else {@code <provider>-<id>}
 *                      (a display name is no username; the person may change it in the first-login form)
 * @param email         null unless verified by the provider
 * @param emailVerified whether {@link #email()} was verified by the provider (always when it is not null)
 * @param firstName     may be null
 * @param lastName      may be null
 */
public record LoginIdentity(String id, String username, String email, boolean emailVerified, String firstName,
                            String lastName) {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@+-]{1,100}");
    private static final int MAX_NAME = 255;

    /**
     * @param callbackCapture the template's {@code callbackCapture} (names of callback fields it keeps)
     * @param callback        the callback's parameters
     * @return null when the account has no id (the provider did not say who signed in)
     */
    public static LoginIdentity of(String provider, OAuthClient.Account account, List<String> callbackCapture,
                                   Map<String, List<String>> callback) {
        if (account == null || account.id() == null || account.id().isBlank()) {
            return null;
        }
        String email = account.emailVerified() ? account.email() : null;
        String first = null;
        String last = null;
        String name = clip(account.name());
        if (name != null) {
            int space = name.indexOf(' ');
            first = space < 0 ? name : name.substring(0, space);
            last = space < 0 ? null : name.substring(space + 1).trim();
        }
        if (callbackCapture.contains("user")) {
            JsonNode user = json(callback.get("user"));
            if (user != null && user.path("name").isObject()) {
                first = clip(user.path("name").path("firstName").asText(null));
                last = clip(user.path("name").path("lastName").asText(null));
            }
        }
        // A display name is no username (two people may both be "Alice", and it may be an existing user's): the
        // verified email, else one that cannot collide across providers.
        String username = email != null ? email : provider + "-" + account.id();
        if (!USERNAME.matcher(username).matches()) {
            username = provider + "-" + Integer.toHexString(account.id().hashCode());
        }
        return new LoginIdentity(account.id(), username, email, email != null, first, last == null || last.isEmpty() ? null : last);
    }

    private static JsonNode json(List<String> values) {
        if (values == null || values.size() != 1 || values.get(0).length() > 4096) {
            return null;
        }
        try {
            return JsonSerialization.readValue(values.get(0), JsonNode.class);
        } catch (Exception e) {
            return null;
        }
    }

    private static String clip(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        s = s.trim();
        return s.length() > MAX_NAME ? s.substring(0, MAX_NAME) : s;
    }
}
