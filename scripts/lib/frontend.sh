# Builds the chat widget's front-end assets (sourced, not run): NHS.UK frontend styles compiled
# with Sass, copied with their images into bot/web/static/vendor/. Nothing is fetched from a CDN
# at run time; npm is used only here, at set-up. axe-core stays in frontend/node_modules for tests.
# Needs Node.js 18+ with npm (Debian: apt-get install -y nodejs npm).

build_frontend() {
  local root frontend vendor stamp_value stamp
  root="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
  frontend="$root/frontend"
  vendor="$root/bot/web/static/vendor"
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "Building the chat page's styles needs Node.js and npm. Install them (Debian/Ubuntu:" \
      "apt-get install -y nodejs npm), then run this command again." >&2
    return 1
  fi
  # Rebuild only when the pinned packages or our Sass entry change.
  stamp_value="$(cat "$frontend/package-lock.json" "$frontend"/src/*.scss \
    "$root"/bot/web/console/styles/*.scss | sha256sum | cut -c1-16)"
  stamp="$vendor/.built-$stamp_value"
  if [ -f "$stamp" ] && [ -d "$frontend/node_modules/axe-core" ]; then
    echo "Front-end assets are up to date (bot/web/static/vendor/)."
    return 0
  fi
  echo "Installing pinned front-end packages (frontend/package-lock.json)"
  # --ignore-scripts: nothing we use needs an install script, and none may download anything.
  if [ -f "$frontend/package-lock.json" ]; then
    (cd "$frontend" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  else
    (cd "$frontend" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
  fi
  echo "Building NHS.UK frontend styles into bot/web/static/vendor/nhsuk/"
  rm -rf "$vendor"
  mkdir -p "$vendor/nhsuk/assets"
  (cd "$frontend" && node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
    src/homeward-nhsuk.scss "$vendor/nhsuk/homeward-nhsuk.css")
  (cd "$frontend" && node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
    "$root/bot/web/console/styles/console-nhsuk.scss" "$vendor/nhsuk/console-nhsuk.css")
  cp -R "$frontend/node_modules/nhsuk-frontend/dist/nhsuk/assets/images" "$vendor/nhsuk/assets/images"
  touch "$stamp"
}
