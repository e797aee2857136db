package io.kcconnections.it.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A person's browser, reduced to HTTP: keeps cookies, follows redirects one by one, submits Keycloak's login form.
 * It stops at the first redirect that leaves the Keycloak server (the app's redirect_uri).
 */
public final class Browser {

    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /**
     * Cookies by path and name, as a browser keeps them: the app realm's and the provider realm's Keycloak cookies
     * share names and differ by path. Browsers send {@code Secure} cookies to http://localhost and 127.0.0.1 (a secure
     * context); java.net's CookieManager does not, so this jar keeps them itself (one server per browser).
     */
    private final Map<String, Map<String, String>> cookies = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
    private final String serverBase;
    /** Every URL visited, for assertions about what the browser saw. */
    public final java.util.List<String> visited = new java.util.ArrayList<>();

    /** The person's Keycloak credentials, for the realm's own login on the way to a provider. */
    private String[] person;

    public Browser(String serverBase) {
        this.serverBase = serverBase;
    }

    /** Signs in to Keycloak as this person when a start page asks (the realm's login, not the provider's). */
    public Browser as(String username, String password) {
        this.person = new String[]{username, password};
        return this;
    }

    /**
     * Opens a start URL ({@code authorize_url}) as the person would: signs in to Keycloak when asked, and returns
     * where the start page sends the browser (the provider's authorization URL, or the app with an error).
     */
    public String providerUrl(String startUrl) {
        Page p = signInIfAsked(get(startUrl));
        assertEquals(302, p.status(), () -> "the start page did not redirect: HTTP " + p.status() + " at " + p.url()
                + "\n" + text(p));
        return URI.create(p.url()).resolve(p.location()).toString();
    }

    /**
     * The start page's own answer: when it shows Keycloak's login, signs in as the person and comes back to it
     * (through the login's redirects), as a person's browser does.
     */
    public Page signInIfAsked(Page p) {
        Matcher m = LOGIN_FORM.matcher(p.body() == null ? "" : p.body());
        if (p.status() != 200 || !m.find() || m.group(1).contains("/realms/" + TestServer.UPSTREAM_REALM + "/")) {
            return p;
        }
        assertNotNull(person, "the start page asks to sign in to Keycloak: give the browser a person (as(...))");
        Page q = postForm(m.group(1).replace("&amp;", "&"), Map.of("username", person[0], "password", person[1],
                "credentialId", ""));
        int hops = 0;
        while (q.location() != null && hops++ < 10) {
            String next = URI.create(q.url()).resolve(q.location()).toString();
            q = get(next);
            if (next.contains("/connect/start/")) {
                return q;
            }
        }
        return q;
    }

    /** The provider URL a start URL leads to; other URLs as they are. */
    private String viaStart(String url) {
        return url.contains("/connect/start/") ? providerUrl(url) : url;
    }

    public record Page(int status, String url, String body, String location) {
    }

    public Page get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), url);
    }

    public Page postForm(String url, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.form(form))), url);
    }

    private HttpResponse<String> exchange(HttpRequest.Builder b, String url) {
        visited.add(url);
        // As a browser asks for pages: Keycloak picks between endpoints on one path by it (the device endpoint's
        // user-code form and its JSON device-authorization request share /realms/{realm}/device).
        b.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        if (!cookies.isEmpty() && url.startsWith(serverBase)) {
            String path = URI.create(url).getRawPath();
            StringBuilder c = new StringBuilder();
            // Longest path first (the reverse order of the keys), as browsers send them.
            cookies.forEach((p, jar) -> {
                if (path.startsWith(p) || (path + "/").equals(p)) {
                    jar.forEach((k, v) -> c.append(c.length() == 0 ? "" : "; ").append(k).append('=').append(v));
                }
            });
            if (c.length() > 0) {
                b.header("Cookie", c.toString());
            }
        }
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (url.startsWith(serverBase)) {
                for (String sc : r.headers().allValues("Set-Cookie")) {
                    keep(url, sc);
                }
            }
            return r;
        } catch (Exception e) {
            throw new AssertionError("browser request failed: " + e, e);
        }
    }

    private Page send(HttpRequest.Builder b, String url) {
        HttpResponse<String> r = exchange(b, url);
        return new Page(r.statusCode(), url, r.body(), r.headers().firstValue("Location").orElse(null));
    }

    /** A GET with this browser's cookies, answered with all its headers (as {@link Http#get} answers). */
    public Http.Resp request(String url) {
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(url)).GET(), url);
        return new Http.Resp(r.statusCode(), r.body(), r.headers());
    }

    /** Keeps or drops one {@code Set-Cookie}, under its path (default: the request's directory). */
    private void keep(String url, String setCookie) {
        String[] parts = setCookie.split(";");
        int i = parts[0].indexOf('=');
        if (i <= 0) {
            return;
        }
        String name = parts[0].substring(0, i).trim();
        String value = parts[0].substring(i + 1).trim();
        String requestPath = URI.create(url).getRawPath();
        String path = requestPath.substring(0, Math.max(1, requestPath.lastIndexOf('/') + 1));
        for (String attr : parts) {
            String a = attr.trim();
            if (a.regionMatches(true, 0, "path=", 0, 5)) {
                path = a.substring(5);
            }
        }
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        String lower = setCookie.toLowerCase(java.util.Locale.ROOT);
        Map<String, String> jar = cookies.computeIfAbsent(path, k -> new java.util.LinkedHashMap<>());
        if (lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970")) {
            jar.remove(name);
        } else {
            jar.put(name, value);
        }
    }

    /**
     * Follows redirects while they stay on the server; returns the last page, or the redirect that leaves it (or
     * that lands on the connect "done" page, where a connect link without a redirect URI ends: the app's landing).
     */
    public Page follow(Page p) {
        int hops = 0;
        while (p.location() != null && hops++ < 20) {
            String next = URI.create(p.url()).resolve(p.location()).toString();
            if (!next.startsWith(serverBase) || next.contains("/connect/done")) {
                return new Page(p.status(), p.url(), p.body(), next);
            }
            p = get(next);
        }
        return p;
    }

    /** Opens a URL that leads to a Keycloak login page, logs in, and returns where the browser is sent off-server. */
    public String loginAndFollow(String url, String username, String password) {
        Page page = follow(get(viaStart(url)));
        assertEquals(200, page.status(), () -> "expected a login page at " + page.url());
        Matcher m = LOGIN_FORM.matcher(page.body());
        assertNotNull(m.find() ? m : null, "no login form on " + page.url());
        String action = m.group(1).replace("&amp;", "&");
        Page afterLogin = follow(postForm(action, Map.of("username", username, "password", password, "credentialId", "")));
        Page after = afterLogin.location() == null ? consent(afterLogin, true) : afterLogin;
        assertNotNull(after.location(), () -> "login did not redirect off-server; last page " + after.url() + " HTTP " + after.status());
        return after.location();
    }

    /**
     * Logs in at the upstream but stops before the browser reaches the connect callback; returns the callback URL
     * (carrying code and state), so a test can replay or alter it.
     */
    public String loginUntilCallback(String url, String username, String password) {
        Page page = follow(get(viaStart(url)));
        Matcher m = LOGIN_FORM.matcher(page.body());
        assertNotNull(m.find() ? m : null, "no login form on " + page.url());
        Page p = postForm(m.group(1).replace("&amp;", "&"), Map.of("username", username, "password", password, "credentialId", ""));
        int hops = 0;
        while (p.location() != null && hops++ < 20) {
            String next = URI.create(p.url()).resolve(p.location()).toString();
            if (next.contains("/connect/callback/")) {
                visited.add(next);
                lastCode();
                return next;
            }
            p = get(next);
        }
        throw new AssertionError("never redirected to the connect callback; last " + p.url() + " HTTP " + p.status());
    }

    /** The authorization code in the redirect the provider sent the browser to our callback, noted as a secret. */
    public String lastCode() {
        for (int i = visited.size() - 1; i >= 0; i--) {
            String code = Http.queryParam(visited.get(i), "code");
            if (code != null) {
                return SecretLedger.note(code);
            }
        }
        return null;
    }

    private static final Pattern DEVICE_FORM = Pattern.compile(
            "<form[^>]*id=\"kc-user-verify-device-user-code-form\"[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);
    private static final Pattern CONSENT_FORM = Pattern.compile(
            "<form[^>]*action=\"([^\"]*login-actions/consent[^\"]*)\"[^>]*>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern HIDDEN_CODE = Pattern.compile("name=\"code\"\\s+value=\"([^\"]+)\"");

    /** What a person would read on the page (tags and blank runs removed, at most 800 characters), for messages. */
    public static String text(Page p) {
        String t = p.body() == null ? "" : p.body().replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
                .replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
        return t.length() > 800 ? t.substring(0, 800) : t;
    }

    /** A form action as the browser would post it: entities decoded, resolved against the page's URL. */
    private static String resolve(String pageUrl, String action) {
        return URI.create(pageUrl).resolve(action.replace("&amp;", "&")).toString();
    }

    /** Answers the provider's consent screen when this page is one (clients that require consent); else returns it. */
    public Page consent(Page p, boolean approve) {
        Matcher consent = CONSENT_FORM.matcher(p.body() == null ? "" : p.body());
        if (!consent.find()) {
            return p;
        }
        Matcher code = HIDDEN_CODE.matcher(consent.group(2));
        assertNotNull(code.find() ? code : null, "no code on the consent form");
        return follow(postForm(resolve(p.url(), consent.group(1)),
                approve ? Map.of("code", code.group(1), "accept", "Yes") : Map.of("code", code.group(1), "cancel", "No")));
    }

    /**
     * A person approving (or denying) a device authorization on the provider's own pages: opens the verification
     * URI, types the user code, logs in, and answers the consent screen. Returns the last page.
     */
    public Page answerDevice(String verificationUri, String userCode, String username, String password, boolean approve) {
        Page page = follow(get(verificationUri));
        Matcher m = DEVICE_FORM.matcher(page.body());
        assertNotNull(m.find() ? m : null, () -> "no user-code form on " + page.url() + " HTTP " + page.status());
        Page p = follow(postForm(resolve(page.url(), m.group(1)), Map.of("device_user_code", userCode)));
        Matcher login = LOGIN_FORM.matcher(p.body());
        if (login.find()) {
            p = follow(postForm(resolve(p.url(), login.group(1)),
                    Map.of("username", username, "password", password, "credentialId", "")));
        }
        return consent(p, approve);
    }
}
