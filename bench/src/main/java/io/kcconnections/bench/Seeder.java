package io.kcconnections.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

import io.kcconnections.connect.crypto.KeyRing;
import io.kcconnections.connect.store.TokenCodec;

/**
 * Writes connections straight into {@code CONNECT_CONNECTION}, encrypted exactly as the extension encrypts them (same
 * key, same associated data), so the server reads and refreshes them as its own. Batched multi-row inserts.
 */
final class Seeder {

    static final String PROVIDER = "benchfake";
    private static final String INSERT = "insert into CONNECT_CONNECTION (ID, REALM_ID, USER_ID, PROVIDER, CONNECTION_ID,"
            + " ACCOUNT_ID, ACCESS_TOKEN, REFRESH_TOKEN, KEY_ID, TOKEN_TYPE, SCOPES, EXPIRES_AT, STATUS, FAILURE_COUNT,"
            + " REFRESH_AT, CREATED_AT, UPDATED_AT, VERSION) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'Bearer', 'read', ?, 'active', 0, ?, ?, ?, 0)";

    private final KeyRing ring;

    Seeder(String base64Key) {
        this.ring = KeyRing.of(KeyRing.parseKey(base64Key), List.of());
    }

    /**
     * Inserts {@code count} connections named {@code prefix + i}, owned round-robin by {@code userIds}.
     *
     * @param encrypt  false writes a placeholder instead of ciphertexts (rows only ever read by the due query)
     */
    void insert(Connection db, String realmId, List<String> userIds, String prefix, int from, int count, long expiresAt,
                Long refreshAt, boolean encrypt) throws SQLException {
        boolean auto = db.getAutoCommit();
        db.setAutoCommit(false);
        long now = System.currentTimeMillis();
        try (PreparedStatement ps = db.prepareStatement(INSERT)) {
            for (int i = from; i < from + count; i++) {
                String id = UUID.randomUUID().toString();
                ps.setString(1, id);
                ps.setString(2, realmId);
                ps.setString(3, userIds.get(i % userIds.size()));
                ps.setString(4, PROVIDER);
                ps.setString(5, prefix + i);
                ps.setString(6, "acct-" + i);
                if (encrypt) {
                    ps.setString(7, ring.encrypt("at-" + UUID.randomUUID(), TokenCodec.aad(realmId, id, TokenCodec.ACCESS)));
                    ps.setString(8, ring.encrypt("rt-" + UUID.randomUUID(), TokenCodec.aad(realmId, id, TokenCodec.REFRESH)));
                } else {
                    ps.setString(7, "placeholder");
                    ps.setString(8, "placeholder");
                }
                ps.setString(9, ring.primaryKeyId());
                ps.setLong(10, expiresAt);
                if (refreshAt == null) {
                    ps.setNull(11, Types.BIGINT);
                } else {
                    ps.setLong(11, refreshAt);
                }
                ps.setLong(12, now);
                ps.setLong(13, now);
                ps.addBatch();
                if ((i - from + 1) % 1000 == 0) {
                    ps.executeBatch();
                    db.commit();
                }
            }
            ps.executeBatch();
            db.commit();
        } finally {
            db.setAutoCommit(auto);
        }
    }

    static int delete(Connection db, String realmId, String prefix) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("delete from CONNECT_CONNECTION where REALM_ID = ? and CONNECTION_ID like ?")) {
            ps.setString(1, realmId);
            ps.setString(2, prefix + "%");
            return ps.executeUpdate();
        }
    }
}
