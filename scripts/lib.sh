# Shared set-up steps of scripts/start and scripts/test.

PYTHON="${PYTHON:-python3}"

ensure_venv() {
  local extras="${1:-}"
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "supportbot needs Python 3.11 or newer (set PYTHON=python3.x)" >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  local spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  local stamp=".venv/.installed-${extras:-base}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e "$spec"
    touch "$stamp"
  fi
}

find_chromium() {
  local candidate
  for candidate in "${SUPPORTBOT_CHROMIUM:-}" chromium chromium-browser google-chrome; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return 0; }
  done
  return 1
}

ensure_chromium() {
  if find_chromium >/dev/null; then
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
    echo "installing Chromium for the browser tests..." >&2
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1 \
      || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium-browser >/dev/null 2>&1 || true
  fi
  if ! find_chromium >/dev/null; then
    echo "Chromium not found: the browser tests will be skipped (install chromium, or set SUPPORTBOT_CHROMIUM)" >&2
  fi
}
