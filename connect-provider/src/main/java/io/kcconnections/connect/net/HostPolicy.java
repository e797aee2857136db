package io.kcconnections.connect.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The outbound-address guard. Provider URLs and domain values must be https URLs on public DNS names; IP literals,
 * loopback, private, link-local and other special ranges are refused unless the operator explicitly allows private
 * hosts (tests and labs), which also permits plain http. Every check returns null when fine, else a reason that is
 * safe to show (it repeats only the host, never credentials).
 */
public final class HostPolicy {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** Bracketed or bare IPv6 (two or more colons, hex digits, optional embedded IPv4). */
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[?[0-9a-f]*:[0-9a-f:]*:[0-9a-f.]*]?");

    private final boolean allowPrivate;

    public HostPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public boolean allowPrivate() {
        return allowPrivate;
    }

    /** Checks a bare host name (a domain value such as {@code acme.okta.com}). */
    public String checkHost(String host) {
        if (host == null || host.isBlank()) {
            return "host is empty";
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.length() > 253) {
            return "host name is too long";
        }
        boolean literal = IPV4_LITERAL.matcher(h).matches() || IPV6_LITERAL.matcher(h).matches();
        if (literal) {
            if (!allowPrivate) {
                return "IP address literals are not allowed as hosts: " + shown(h);
            }
            return null;
        }
        String[] labels = h.endsWith(".") ? h.substring(0, h.length() - 1).split("\\.") : h.split("\\.");
        for (String l : labels) {
            if (!LABEL.matcher(l).matches()) {
                return "not a valid host name: " + shown(h);
            }
        }
        if (!allowPrivate) {
            if (labels.length < 2) {
                return "host must be a fully qualified domain name: " + shown(h);
            }
            String tld = labels[labels.length - 1];
            if (h.equals("localhost") || tld.equals("localhost") || tld.equals("local") || tld.equals("internal")
                    || tld.equals("localdomain") || tld.equals("home") || tld.equals("lan") || tld.equals("corp")) {
                return "host is a local name: " + shown(h);
            }
        }
        return null;
    }

    /** Checks an absolute URL: https (or http when private hosts are allowed), a valid host, no user info. */
    public String checkUrl(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (Exception e) {
            return "not a valid URL";
        }
        // Messages name no part of the URL but the scheme and host: its user info, path or query may hold secrets.
        if (u.getRawUserInfo() != null || (u.getRawAuthority() != null && u.getRawAuthority().contains("@"))) {
            return "URL must not carry user info";
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPrivate && scheme.equals("http"))) {
            return "URL must use https (not " + (scheme.isEmpty() ? "a relative URL" : shown(scheme)) + ")";
        }
        if (u.getRawFragment() != null) {
            return "URL must not have a fragment";
        }
        if (u.getHost() == null) {
            return "URL has no host";
        }
        return checkHost(u.getHost());
    }

    /**
     * Resolves a URL's host and checks every address (the guard against DNS names that point inward).
     * Resolution failures are not refusals here: the HTTP call will fail on its own.
     */
    public String checkResolved(String url) {
        if (allowPrivate) {
            return null;
        }
        String host;
        try {
            host = new URI(url).getHost();
        } catch (Exception e) {
            return "not a valid URL";
        }
        if (host == null) {
            return "URL has no host";
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (isSpecial(a)) {
                    return "host " + shown(host) + " resolves to a non-public address";
                }
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    /** Loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified, multicast or documentation ranges. */
    public static boolean isSpecial(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 0 || (b0 == 100 && b1 >= 64 && b1 <= 127) || (b0 == 169 && b1 == 254)
                    || (b0 == 192 && b1 == 0) || (b0 == 198 && (b1 == 18 || b1 == 19)) || b0 >= 240;
        }
        if (a instanceof Inet6Address) {
            int b0 = b[0] & 0xff;
            if ((b0 & 0xfe) == 0xfc) {
                return true;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) || (b[10] == 0 && b[11] == 0))) {
                // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 address decides.
                return isSpecial(v4(b, 12));
            }
            // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach an IPv4 address through a gateway: it decides.
            if (b0 == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                boolean zeros = true;
                for (int i = 4; i < 12; i++) {
                    zeros &= b[i] == 0;
                }
                if (zeros) {
                    return isSpecial(v4(b, 12));
                }
            }
            if (b0 == 0x20 && (b[1] & 0xff) == 0x02) {
                return isSpecial(v4(b, 2));
            }
        }
        return false;
    }

    private static InetAddress v4(byte[] b, int at) {
        try {
            return InetAddress.getByAddress(new byte[]{b[at], b[at + 1], b[at + 2], b[at + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shown(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
