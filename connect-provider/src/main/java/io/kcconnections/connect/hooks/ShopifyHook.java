package io.kcconnections.connect.hooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.kcconnections.connect.spi.ProviderHook;

/**
 * Shopify ({@code hook: shopify}): the callback that carries the code is signed, and is checked before the code is
 * exchanged (Shopify's authorization code grant, "verify the installation request"):
 * <ul>
 * <li>{@code hmac} is the hex HMAC-SHA256, keyed with the client secret, of the callback's other parameters sorted
 * by name and joined as {@code name=value&…} (in names {@code % & =} and in values {@code % &} written as
 * {@code %25 %26 %3D}); compared in constant time;</li>
 * <li>{@code shop} must be a {@code *.myshopify.com} host and the shop the connection was started for.</li>
 * </ul>
 * The secret is never logged or put in a refusal.
 */
final class ShopifyHook implements ProviderHook {

    static final Pattern SHOP = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9-]*\\.myshopify\\.com");

    @Override
    public String verifyCallback(Context context, Map<String, String> params, String clientSecret) {
        String hmac = params.get("hmac");
        if (hmac == null || hmac.isBlank()) {
            return "hmac is missing";
        }
        String shop = params.get("shop");
        if (shop == null || !SHOP.matcher(shop).matches()) {
            return "shop is missing or not a myshopify.com host";
        }
        String expected = context.values().get("shop");
        if (expected == null || !expected.toLowerCase(Locale.ROOT).equals(shop.toLowerCase(Locale.ROOT))) {
            return "shop is not the shop the connection was started for";
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            return "no client secret to check the signature with";
        }
        byte[] computed = sign(message(params), clientSecret).getBytes(StandardCharsets.US_ASCII);
        byte[] given = hmac.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(computed, given) ? null : "hmac does not match";
    }

    /** The signed text: every parameter but {@code hmac}, sorted by name, {@code name=value} joined with {@code &}. */
    static String message(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> {
            if (!k.equals("hmac")) {
                sb.append(sb.length() == 0 ? "" : "&").append(escape(k, true)).append('=').append(escape(v, false));
            }
        });
        return sb.toString();
    }

    /** Lower-case hex HMAC-SHA256. */
    static String sign(String message, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String escape(String s, boolean name) {
        String e = s.replace("%", "%25").replace("&", "%26");
        return name ? e.replace("=", "%3D") : e;
    }
}
