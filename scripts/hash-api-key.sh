#!/usr/bin/env bash
# The Ingest:ApiKeys:{i}:Hash of an API key: SHA-256 of the key's UTF-8 bytes, as sha256:<64 hex digits>.
#
#   scripts/hash-api-key.sh                      a new random key (32 bytes, base64url) and its hash
#   printf %s "$KEY" | scripts/hash-api-key.sh -  the hash of an existing key, read from stdin (never from argv,
#                                                 so the key stays out of shell history and the process list)
#
# Give the key to the backend that uses it; put only the hash in Ingest's configuration. Same as the one-liner
#   printf %s "$KEY" | sha256sum | cut -d' ' -f1
set -euo pipefail

hash_of() { sha256sum | cut -d' ' -f1; }

case "${1:-}" in
  -)
    key=$(cat) # without trailing newlines: one from `echo` or a file is not part of the key
    if (( ${#key} < 16 )); then
      echo "hash-api-key: the key must be at least 16 characters" >&2
      exit 2
    fi
    echo "sha256:$(printf %s "$key" | hash_of)"
    ;;
  "")
    key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    echo "key:  $key"
    echo "hash: sha256:$(printf %s "$key" | hash_of)"
    ;;
  *)
    echo "usage: scripts/hash-api-key.sh            (new key and its hash)" >&2
    echo "       printf %s \"\$KEY\" | scripts/hash-api-key.sh -   (hash of an existing key)" >&2
    exit 2
    ;;
esac
