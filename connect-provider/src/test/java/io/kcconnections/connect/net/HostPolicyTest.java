package io.kcconnections.connect.net;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPolicyTest {

    private final HostPolicy strict = new HostPolicy(false);
    private final HostPolicy lab = new HostPolicy(true);

    @Test
    void publicHostNamesPass() {
        assertNull(strict.checkHost("acme.okta.com"));
        assertNull(strict.checkHost("my-shop.myshopify.com"));
        assertNull(strict.checkUrl("https://login.example.com/oauth2"));
    }

    @Test
    void literalsLoopbackAndLocalNamesAreRefusedUnlessAllowed() {
        for (String h : new String[]{"127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]", "::1", "localhost", "printer.local",
                "metadata.google.internal", "intranet"}) {
            assertNotNull(strict.checkHost(h), h);
        }
        assertNull(lab.checkHost("127.0.0.1"));
        assertNull(lab.checkHost("localhost"));
    }

    @Test
    void malformedHostsAreRefusedEvenInLabMode() {
        for (String h : new String[]{"", "a b.com", "evil.com/path", "x..com", "-a.com", "a_b.com", "evil.com:8080", "user@evil.com"}) {
            assertNotNull(lab.checkHost(h), h);
        }
    }

    @Test
    void urlsMustBeHttpsWithoutUserInfo() {
        assertNotNull(strict.checkUrl("http://login.example.com/"));
        assertNotNull(strict.checkUrl("https://user:pw@login.example.com/"));
        assertNotNull(strict.checkUrl("https://login.example.com/#x"));
        assertNotNull(strict.checkUrl("ftp://login.example.com/"));
        assertNotNull(strict.checkUrl("https://127.0.0.1/token"));
        // Refusals never repeat a URL's user info, path or query.
        String why = strict.checkUrl("http://user:s3cret@login.example.com/x?api_key=k3y");
        assertFalse(why.contains("s3cret") || why.contains("k3y"), why);
        why = strict.checkUrl("http://login.example.com/x?api_key=k3y");
        assertFalse(why.contains("k3y"), why);
        assertNull(lab.checkUrl("http://127.0.0.1:8080/realms/x"));
    }

    @Test
    void specialAddressRanges() throws Exception {
        for (String a : new String[]{"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "::1", "fc00::1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1",
                "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "2002:a9fe:a9fe::1", "2002:0a00:0001::", "::10.0.0.1"}) {
            assertTrue(HostPolicy.isSpecial(InetAddress.getByName(a)), a);
        }
        for (String a : new String[]{"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:0808:0808::1"}) {
            assertFalse(HostPolicy.isSpecial(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void resolvedAddressesAreChecked() {
        assertNotNull(strict.checkResolved("https://localhost/token"));
        assertNull(lab.checkResolved("https://localhost/token"));
    }
}
