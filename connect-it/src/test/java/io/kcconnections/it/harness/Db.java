package io.kcconnections.it.harness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Direct SQL on the server's database: what an attacker with a dump, or a broken node, would see. */
public final class Db {

    private Db() {
    }

    /** The CONNECT_CONNECTION row of a connection, column name (upper case) to value. */
    public static Map<String, Object> row(String realmName, String connectionId) throws SQLException {
        try (Connection c = TestServer.get().jdbc();
             PreparedStatement ps = c.prepareStatement("select cc.* from CONNECT_CONNECTION cc join REALM r on r.ID = cc.REALM_ID"
                     + " where r.NAME = ? and cc.CONNECTION_ID = ?")) {
            ps.setString(1, realmName);
            ps.setString(2, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof java.sql.Clob) {
                        v = rs.getString(i);
                    }
                    m.put(rs.getMetaData().getColumnLabel(i).toUpperCase(java.util.Locale.ROOT), v);
                }
                return m;
            }
        }
    }

    /** {@link #row} for assertions inside lambdas. */
    public static Map<String, Object> rowQuiet(String realmName, String connectionId) {
        try {
            return row(realmName, connectionId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int count(String realmName) throws SQLException {
        try (Connection c = TestServer.get().jdbc();
             PreparedStatement ps = c.prepareStatement("select count(*) from CONNECT_CONNECTION cc join REALM r on r.ID = cc.REALM_ID where r.NAME = ?")) {
            ps.setString(1, realmName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public static int update(String sql, Object... args) throws SQLException {
        try (Connection c = TestServer.get().jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Makes a connection's token look as if it expires in {@code seconds} (time passing, without waiting). */
    public static void expireIn(String realmName, String connectionId, long seconds) throws SQLException {
        Map<String, Object> r = row(realmName, connectionId);
        update("update CONNECT_CONNECTION set EXPIRES_AT = ? where ID = ?", System.currentTimeMillis() + seconds * 1000, r.get("ID"));
    }
}
