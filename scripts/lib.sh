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

WEBCHAT_BUNDLE_DIR="tests/directline/webchat"

ensure_webchat_bundle() {
  # Microsoft's WebChat (botframework-webchat, the version pinned in its package.json and lock file)
  # for the Direct Line browser test: installed here, never committed. Without npm or the registry the
  # test is skipped and says why.
  local dir="$WEBCHAT_BUNDLE_DIR"
  local stamp="$dir/node_modules/.installed"
  if [ -f "$stamp" ] && [ ! "$dir/package-lock.json" -nt "$stamp" ] \
    && [ -f "$dir/node_modules/botframework-webchat/dist/webchat.js" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm not found: the Direct Line test with Microsoft's WebChat will be skipped (install Node.js with npm)" >&2
    return 0
  fi
  echo "installing Microsoft's WebChat bundle for the Direct Line browser test..." >&2
  if (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null 2>&1); then
    touch "$stamp"
  else
    echo "could not install Microsoft's WebChat with npm (is the registry reachable?): its browser test will be skipped" >&2
  fi
}
