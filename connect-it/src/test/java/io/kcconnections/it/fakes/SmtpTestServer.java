package io.kcconnections.it.fakes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small SMTP server for the SMTP check (RFC 5321 greeting, EHLO, AUTH PLAIN and LOGIN per RFC 4954, QUIT): it
 * accepts one user name and password and answers 535 to anything else. It offers no STARTTLS, so a check that demands
 * it must fail. It records the commands it saw (AUTH arguments replaced), so a test can tell the check authenticated.
 */
public final class SmtpTestServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;
    public volatile String user;
    public volatile String password;
    public final List<String> commands = new CopyOnWriteArrayList<>();

    public SmtpTestServer(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        socket = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        thread = new Thread(this::serve, "smtp-test-server");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                converse(s);
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    private void converse(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = s.getOutputStream();
        write(out, "220 smtp.test ESMTP ready");
        for (String line; (line = in.readLine()) != null; ) {
            String upper = line.toUpperCase();
            commands.add(upper.startsWith("AUTH") ? line.split(" ")[0] + " " + line.split(" ")[1] : line);
            if (upper.startsWith("EHLO")) {
                write(out, "250-smtp.test greets you\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN");
            } else if (upper.startsWith("AUTH PLAIN ")) {
                String[] parts = new String(Base64.getDecoder().decode(line.substring(11).trim()), StandardCharsets.UTF_8)
                        .split("\0", -1);
                boolean ok = parts.length == 3 && parts[1].equals(user) && parts[2].equals(password);
                write(out, ok ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
            } else if (upper.startsWith("QUIT")) {
                write(out, "221 bye");
                return;
            } else if (upper.startsWith("STARTTLS")) {
                write(out, "502 5.5.1 not offered");
            } else {
                write(out, "500 5.5.2 unknown command");
            }
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
