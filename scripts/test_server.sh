#!/usr/bin/env bash
# Server mode: run the store, import, scoring, review and CLI tests again, on a real PostgreSQL.
#
#   bash scripts/test_server.sh [pytest args]
#
# Installs Debian's postgresql package when missing (as root or through sudo), starts a
# throwaway server on a free port (scripts/pg_test_server.sh), runs the tests that use a store
# fixture with SME_TEST_DATABASE_URL pointing at it, and removes the server afterwards.
# Without apt-get and without PostgreSQL it says so and skips (fails with SME_REQUIRE_SERVER=1,
# as in CI); SME_SKIP_SERVER=1 skips.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${SME_SKIP_SERVER:-}" = 1 ]; then
  echo "server-mode tests skipped (SME_SKIP_SERVER=1)"
  exit 0
fi

[ -x .venv/bin/python ] || bash scripts/setup.sh
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "server-mode tests skipped: PostgreSQL is not installed and apt-get is not available"
    [ "${SME_REQUIRE_SERVER:-}" != 1 ] || exit 1
    exit 0
  fi
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql
fi

# The tests of these files that use a store fixture run on the server; the rest ran on SQLite.
# The backup tests copy or archive the SQLite file itself. The CLI and PDF tests read the store
# the same way the services above do and are left out to keep CI well under its 20 minutes
# (`bash scripts/test_server.sh tests/cli tests/exports` runs them on the server too).
SERVER_TESTS=(
  tests/store/test_store.py
  tests/store/test_server_mode.py
  tests/store/test_server_check.py
  tests/store/test_server_roles.py
  tests/store/test_audit_os_account.py
  tests/store/test_integrity.py
  tests/publicity/test_publicity.py
  tests/register/test_register.py
  tests/publicity/test_holidays.py
  tests/importing
  tests/scoring
  tests/ui/test_edit_conflicts.py
  tests/ui/test_walkthrough.py
  tests/ui/test_score_sheets_ui.py
)

export SME_PG_DIR
SME_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sme-review-pg.XXXXXX")
export SME_PG_PORT=${SME_PG_PORT:-$(.venv/bin/python -c \
  'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
trap 'bash scripts/pg_test_server.sh stop' EXIT
URL=$(bash scripts/pg_test_server.sh start)
echo "server-mode tests on $URL"
SME_TEST_DATABASE_URL=$URL .venv/bin/python -m pytest -p no:warnings "${SERVER_TESTS[@]}" "$@"
