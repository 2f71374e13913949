# Shared by scripts/dev and scripts/test: a virtualenv with pinned requirements, system
# packages the project needs, and the local services (PostgreSQL for tests, Redis for both).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# apt_install PKG... : install Debian/Ubuntu packages that are missing (needs root or sudo).
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null \
    || { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
}

# ensure_venv REQUIREMENTS_FILE : create .venv and install requirements when they changed.
ensure_venv() {
  local req="$1"
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$VENV"; }
  fi
  local stamp="$VENV/.installed-$(basename "$req")"
  local digest; digest="$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    say "installing Python packages from $(basename "$req")"
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip || return 1
    "$PY" -m pip install -q --disable-pip-version-check -r "$ROOT/$req" || return 1
    echo "$digest" > "$stamp"
  fi
}

redis_up() { "$PY" - "$1" <<'PY' 2>/dev/null
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=1).ping()
PY
}

# ensure_redis URL : use the Redis at URL; start a local one (installing it if needed) when down.
ensure_redis() {
  local url="$1"
  redis_up "$url" && return 0
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting a local Redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 50); do redis_up "$url" && return 0; sleep 0.2; done
  echo "Redis at $url is not reachable" >&2; return 1
}

ensure_postgres() {
  pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && return 0
  if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; fi
  say "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 0.2; done
  echo "PostgreSQL on 127.0.0.1:5432 is not reachable" >&2; return 1
}

compile_translations() {
  command -v msgfmt >/dev/null || apt_install gettext
  (cd "$ROOT" && "$PY" manage.py compilemessages --ignore='.venv*' -v0)
}

# prepare_dev_database : migrate, load the demo data (idempotent) and make sure the admin exists.
prepare_dev_database() {
  say "migrating the database"
  "$PY" manage.py migrate --no-input -v0
  say "loading demo data (first run takes about a minute, later runs only check)"
  "$PY" manage.py load_demo_data
  "$PY" manage.py ensure_admin --username "${DEV_ADMIN_USER:-admin}" --email admin@example.org \
    --password "${DEV_ADMIN_PASSWORD:-}"
}
