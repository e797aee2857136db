package io.kcconnections.connect.credentials;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.kcconnections.connect.net.HostPolicy;

/**
 * The check of an SMTP account: connect to the configured host (resolved once, every address held to the host policy,
 * the checked address dialled), read the greeting, {@code EHLO}, {@code STARTTLS} when configured (or TLS from the
 * first byte), {@code AUTH PLAIN} (or {@code LOGIN}) when a user name is set, then {@code QUIT}. The whole exchange has
 * one deadline; the server's certificate is verified against the host name; a password never goes out before TLS
 * unless the operator allows private hosts (labs and tests).
 */
final class SmtpCheck {

    private static final int MAX_LINES = 100;
    private static final int MAX_LINE = 1000;

    private final HostPolicy policy;
    private final long deadlineMillis;

    SmtpCheck(HostPolicy policy, long deadlineMillis) {
        this.policy = policy;
        this.deadlineMillis = deadlineMillis;
    }

    CheckResult run(Map<String, String> fields, Map<String, String> secrets) {
        String host = fields.get("host");
        int port = Integer.parseInt(fields.get("port"));
        String tls = fields.getOrDefault("tls", "starttls");
        InetAddress address;
        try {
            address = Addresses.checked(policy, host);
        } catch (Addresses.Refused e) {
            return CheckResult.fail("refused_address", e.getMessage());
        } catch (UnknownHostException e) {
            return CheckResult.fail("unreachable", "the host does not resolve");
        }
        long until = System.currentTimeMillis() + deadlineMillis;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), (int) Math.min(deadlineMillis, 10_000));
            Socket s = "tls".equals(tls) ? secure(plain, host, port) : plain;
            Session smtp = new Session(s, until);
            smtp.expect(220, "greeting");
            List<String> caps = smtp.command("EHLO kc-connections", 250);
            if ("starttls".equals(tls)) {
                if (caps.stream().noneMatch(c -> c.toUpperCase(Locale.ROOT).startsWith("STARTTLS"))) {
                    return CheckResult.fail("tls_failed", "the server does not offer STARTTLS");
                }
                smtp.command("STARTTLS", 220);
                smtp = new Session(secure(plain, host, port), until);
                caps = smtp.command("EHLO kc-connections", 250);
            }
            if (fields.containsKey("username")) {
                CheckResult auth = authenticate(smtp, caps, fields.get("username"), secrets.getOrDefault("password", ""));
                if (!auth.ok()) {
                    return auth;
                }
            }
            smtp.send("QUIT");
            return CheckResult.OK;
        } catch (Reply e) {
            return CheckResult.fail(e.code >= 500 && e.step.startsWith("AUTH") ? "auth_failed" : "smtp_error",
                    e.step + " answered " + e.code);
        } catch (SSLException e) {
            return CheckResult.fail("tls_failed", e.getClass().getSimpleName());
        } catch (SocketTimeoutException e) {
            return CheckResult.fail("timeout", "no answer within the deadline");
        } catch (IOException e) {
            return CheckResult.fail("unreachable", e.getClass().getSimpleName());
        }
    }

    private static CheckResult authenticate(Session smtp, List<String> caps, String user, String password) throws IOException {
        String mechanisms = caps.stream().map(c -> c.toUpperCase(Locale.ROOT)).filter(c -> c.startsWith("AUTH"))
                .findFirst().orElse("");
        Base64.Encoder b64 = Base64.getEncoder();
        if (mechanisms.contains("PLAIN")) {
            smtp.command("AUTH PLAIN " + b64.encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8)),
                    235, "AUTH PLAIN");
        } else if (mechanisms.contains("LOGIN")) {
            smtp.command("AUTH LOGIN", 334, "AUTH LOGIN");
            smtp.command(b64.encodeToString(user.getBytes(StandardCharsets.UTF_8)), 334, "AUTH LOGIN");
            smtp.command(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)), 235, "AUTH LOGIN");
        } else {
            return CheckResult.fail("auth_failed", "the server offers neither AUTH PLAIN nor AUTH LOGIN");
        }
        return CheckResult.OK;
    }

    private static Socket secure(Socket plain, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        try {
            p.setServerNames(List.of(new SNIHostName(host)));
        } catch (IllegalArgumentException e) {
            // an IP address: no SNI
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    /** An answer other than the one expected, at a step. */
    static final class Reply extends IOException {
        final int code;
        final String step;

        Reply(String step, int code) {
            super(step + " answered " + code);
            this.step = step;
            this.code = code;
        }
    }

    /**
     * One SMTP conversation on a socket; every read waits at most until the deadline, and a line is held to
     * {@value #MAX_LINE} bytes as it is read (a server that never ends its line costs no memory).
     */
    private static final class Session {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final long until;

        Session(Socket socket, long until) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 1024);
            this.out = socket.getOutputStream();
            this.until = until;
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        List<String> command(String line, int expected) throws IOException {
            return command(line, expected, line.split(" ")[0]);
        }

        List<String> command(String line, int expected, String step) throws IOException {
            send(line);
            return expect(expected, step);
        }

        /** Reads one (multi-line) reply; answers the text of its lines after the first (EHLO's extensions). */
        List<String> expect(int expected, String step) throws IOException {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < MAX_LINES; i++) {
                String l = readLine(step);
                if (l == null || l.length() < 3 || !l.substring(0, 3).matches("\\d{3}")) {
                    throw new Reply(step, 0);
                }
                texts.add(l.length() > 4 ? l.substring(4) : "");
                if (l.length() == 3 || l.charAt(3) == ' ') {
                    int code = Integer.parseInt(l.substring(0, 3));
                    if (code != expected) {
                        throw new Reply(step, code);
                    }
                    return texts.subList(1, texts.size());
                }
            }
            throw new Reply(step, 0);
        }

        /** One line without its CRLF, or null at the end of the stream; a longer line than allowed is a bad reply. */
        private String readLine(String step) throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (in.available() == 0) {
                    long left = until - System.currentTimeMillis();
                    if (left <= 0) {
                        throw new SocketTimeoutException();
                    }
                    socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                }
                int c = in.read();
                if (c < 0) {
                    return line.length() == 0 ? null : line.toString();
                }
                if (c == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                if (line.length() > MAX_LINE) {
                    throw new Reply(step, 0);
                }
                line.append((char) c);
            }
        }
    }
}
