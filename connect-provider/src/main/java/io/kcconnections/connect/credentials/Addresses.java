package io.kcconnections.connect.credentials;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.kcconnections.connect.net.HostPolicy;

/** Resolves a configured host once and holds every address to the host policy; the caller dials the answer. */
final class Addresses {

    /** The host or one of its addresses is not allowed. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private Addresses() {
    }

    static InetAddress checked(HostPolicy policy, String host) throws Refused, UnknownHostException {
        String problem = policy.checkHost(host);
        if (problem != null) {
            throw new Refused(problem);
        }
        InetAddress[] all = InetAddress.getAllByName(host);
        if (!policy.allowPrivate()) {
            for (InetAddress a : all) {
                if (HostPolicy.isSpecial(a)) {
                    throw new Refused("host resolves to a non-public address");
                }
            }
        }
        return all[0];
    }
}
