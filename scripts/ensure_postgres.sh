#!/usr/bin/env bash
# PostgreSQL binaries for the tests (`make test`): Debian's `postgresql` package when initdb is
# missing. The tests use the server on 127.0.0.1:5432 when one answers (or $GOVINDEX_TEST_PG),
# else start a throwaway cluster of their own (tests/pgserver.py: initdb in a temp folder,
# pg_ctl on a free port, as the postgres/nobody user when run as root).
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "PostgreSQL is not installed: run 'sudo apt-get install -y postgresql' (the store tests need it)" >&2
    exit 1
fi
echo "Installing Debian's postgresql package for the store tests..." >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
