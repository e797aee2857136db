#!/bin/bash
# Entry point of the kc-connections image: for each secret-bearing variable NAME that is given as NAME_FILE (a
# Docker/Compose secret, a mounted Kubernetes secret), reads the file into NAME, then runs kc.sh with the arguments.
# The values are never printed. Giving both NAME and NAME_FILE is an error.
set -euo pipefail
for name in CONNECT_TOKEN_ENCRYPTION_KEY CONNECT_TOKEN_ENCRYPTION_OLD_KEYS KC_DB_PASSWORD KC_BOOTSTRAP_ADMIN_PASSWORD; do
  file_var="${name}_FILE"
  file="${!file_var:-}"
  [ -n "$file" ] || continue
  if [ -n "${!name:-}" ]; then
    echo "kc-connections-entrypoint: both $name and $file_var are set; give one of them" >&2
    exit 1
  fi
  if [ ! -r "$file" ]; then
    echo "kc-connections-entrypoint: $file_var names $file, which cannot be read" >&2
    exit 1
  fi
  value="$(< "$file")"            # bash only (the image has no cat); trailing newlines are dropped
  export "$name=$value"
  unset "$file_var" value
done
exec /opt/keycloak/bin/kc.sh "$@"
