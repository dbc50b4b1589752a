#!/usr/bin/env bash
# Install (apt) and start the services the tests and a production-like run use:
# PostgreSQL, Redis (no persistence, loopback only), Chromium + chromedriver.
# Idempotent: a re-run when everything is up only checks and prints the URLs.
set -euo pipefail

PG_ROLE=${PG_ROLE:-quiz}
PG_PASSWORD=${PG_PASSWORD:-quiz}
PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "services: installing ${missing[*]}"
  # Wait for another apt/dpkg run instead of failing on its lock.
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

apt_install postgresql redis-server chromium chromium-driver fonts-noto-core

# PostgreSQL: Debian's cluster, started with pg_ctlcluster (the server refuses root).
PG_VERSION=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$PG_VERSION main$"; then
  $SUDO pg_createcluster "$PG_VERSION" main --port "$PG_PORT" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  $SUDO pg_ctlcluster "$PG_VERSION" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 0.5
done
psql_admin() { $SUDO runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA -p "$PG_PORT" "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'")" != "1" ]; then
  psql_admin -c "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'"
fi
for dbname in quiz quiz_test; do
  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$dbname'")" != "1" ]; then
    psql_admin -c "CREATE DATABASE $dbname OWNER $PG_ROLE ENCODING 'UTF8' TEMPLATE template0"
  fi
done

# Redis: no persistence, loopback only.
if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --logfile /tmp/quiz-redis.log >/dev/null
  for _ in $(seq 1 20); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.25; done
fi

echo "services: PostgreSQL $PG_VERSION, Redis and Chromium are ready."
echo "  DATABASE_URL=postgresql://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/quiz"
echo "  TEST_DATABASE_URL=postgresql://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT/quiz_test"
echo "  REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
echo "  CHROMIUM=$(command -v chromium) ($(chromium --version 2>/dev/null | head -n 1))"
