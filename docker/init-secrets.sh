#!/usr/bin/env bash
# Makes the secrets docker/compose.yaml reads, once, as random values in docker/secrets/ (git-ignored):
#   connect-token-key   the AES-256 token encryption key (32 random bytes, base64): head -c 32 /dev/urandom | base64
#   db-password         PostgreSQL's password for the keycloak user
#   admin-password      the bootstrap admin's password (user admin)
# Existing files are kept (a new token key would make stored connections unreadable). Values are never printed.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p secrets
chmod 700 secrets
make() {
  local f="secrets/$1"
  if [ -s "$f" ]; then echo "kept    docker/$f"; return; fi
  (umask 077; head -c "$2" /dev/urandom | base64 | tr -d '\n' > "$f")
  # The containers run as other users (Keycloak: 1000, PostgreSQL: 999) and read the file through a bind mount;
  # the directory stays private to you.
  chmod 644 "$f"
  echo "made    docker/$f"
}
make connect-token-key 32
make db-password 24
make admin-password 18
echo "admin password: docker/secrets/admin-password (user admin)"
