# Shared set-up for scripts/start and scripts/test (sourced, not run).
# Finds Python 3.10, creates .venv, installs the project, builds generated files and the
# spaCy pipeline, and trains the model only when training inputs changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONPATH="$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
source "$ROOT/scripts/lib/frontend.sh"
source "$ROOT/scripts/lib/browser.sh"

step() { printf '\n==> %s\n' "$*"; }

is_python310() { [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

find_python310() {
  local candidate
  for candidate in "${HOMEWARD_PYTHON:-}" "$(command -v python3.10 || true)" "$(command -v python3 || true)"; do
    if [ -n "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in $(ls -d "$(pyenv root)"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r); do
      if is_python310 "$candidate"; then echo "$candidate"; return 0; fi
    done
  fi
  if command -v uv >/dev/null 2>&1; then
    candidate="$(uv python find 3.10 2>/dev/null || true)"
    if [ -n "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
  fi
  return 1
}

ensure_venv() {
  if [ ! -x "$PY" ] || ! is_python310 "$PY"; then
    local python
    if ! python="$(find_python310)"; then
      cat >&2 <<'MSG'
Homeward needs Python 3.10: Rasa 3.6, which it runs on, does not support newer versions.
None was found on PATH, in pyenv or in uv. Install one, then run this command again:
  pyenv install 3.10          (with pyenv)
  uv python install 3.10      (with uv)
  sudo apt install python3.10 python3.10-venv   (Debian/Ubuntu, where packaged)
Or point HOMEWARD_PYTHON at a Python 3.10 interpreter.
MSG
      exit 1
    fi
    step "Creating .venv with $python"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    step "Installing Homeward and Rasa into .venv (first time: about 4 minutes)"
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --progress-bar on -e ".[dev]"
    rm -f "$VENV"/.installed-* && touch "$stamp"
  fi
}

build_generated() {
  step "Checking content and building generated files"
  "$PY" -m bot check-content
  "$PY" -m bot build-data
  "$PY" -m bot build-nlp
  "$PY" -m bot build-embeddings
}

training_fingerprint() {
  { cat config.yml domain.yml build/spacy/homeward_en/fingerprint.txt; sha256sum build/wordllama/*; find data -type f -name '*.yml' | sort | xargs cat; } \
    | sha256sum | cut -c1-16
}

ensure_model() {
  local fingerprint stamp
  fingerprint="$(training_fingerprint)"
  stamp="models/.trained-$fingerprint"
  if [ -f "$stamp" ] && [ -f models/homeward.tar.gz ]; then
    echo "Model is up to date with the training data (models/homeward.tar.gz)."
    return 0
  fi
  step "Training the model (training data or config changed; about 16 minutes on 2 cores)"
  "$PY" -m rasa train --fixed-model-name homeward --out models --force
  rm -f models/.trained-* && touch "$stamp"
}

ensure_directory() {
  step "Bringing the service directory up to date (DATABASE_URL, default var/directory.db)"
  "$PY" -m bot directory migrate
  "$PY" -m bot directory seed
}

setup_all() {
  ensure_venv
  step "Building the chat page's styles (NHS.UK frontend, from frontend/package-lock.json)"
  build_frontend
  build_generated
  ensure_directory
  ensure_model
}
