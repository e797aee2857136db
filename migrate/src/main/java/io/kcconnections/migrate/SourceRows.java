package io.kcconnections.migrate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rows of svc-infra's {@code connection_tokens} table (stargazer keeps the same one): {@code connection_id},
 * {@code user_id}, {@code provider}, Fernet-encrypted {@code access_token} and {@code refresh_token}, and where present
 * {@code expires_at} (a timestamp, or epoch seconds or milliseconds) and {@code scopes} (space or comma separated).
 * Column names are matched case-insensitively; only {@code SELECT} is ever sent.
 */
final class SourceRows {

    /** One stored row, still encrypted. */
    record Row(String connectionId, String userId, String provider, String accessCipher, String refreshCipher,
               Long expiresAtMillis, String scopes) {
    }

    private SourceRows() {
    }

    static List<Row> read(String jdbcUrl, String user, String password, String table) throws SQLException {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
            throw new IllegalArgumentException("table must be a plain (optionally schema-qualified) name");
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
            Set<String> cols = columns(rs.getMetaData());
            for (String required : List.of("connection_id", "user_id", "provider")) {
                if (!cols.contains(required)) {
                    throw new SQLException("table " + table + " has no column " + required);
                }
            }
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Row(rs.getString("connection_id"), rs.getString("user_id"), rs.getString("provider"),
                        cols.contains("access_token") ? rs.getString("access_token") : null,
                        cols.contains("refresh_token") ? rs.getString("refresh_token") : null,
                        cols.contains("expires_at") ? millis(rs.getObject("expires_at")) : null,
                        cols.contains("scopes") ? rs.getString("scopes") : null));
            }
            return rows;
        }
    }

    private static Set<String> columns(ResultSetMetaData md) throws SQLException {
        Set<String> out = new HashSet<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            out.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** A timestamp, or a number of epoch seconds (milliseconds when over 10^12, as svc-infra normalises). */
    static Long millis(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Timestamp t) {
            return t.getTime();
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant().toEpochMilli();
        }
        if (v instanceof Number n) {
            long x = n.longValue();
            return x > 1_000_000_000_000L ? x : x * 1000L;
        }
        String s = v.toString().trim();
        return s.matches("\\d+") ? millis(Long.parseLong(s)) : Timestamp.valueOf(s).getTime();
    }
}
