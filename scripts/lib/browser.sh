# Headless Chromium for the browser tests (sourced, not run). Uses Debian's packages, never
# `playwright install`: Playwright is launched with executable_path=$(command -v chromium).

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    return 0
  fi
  echo "Installing Chromium for the browser tests (Debian packages chromium, chromium-driver)"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Installing Chromium needs root: run apt-get install -y chromium chromium-driver as root." >&2
      return 1
    fi
  fi
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y chromium chromium-driver
}
