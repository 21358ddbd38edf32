#!/usr/bin/env bash
# Makes sure the browser tests have what they need and prints two lines:
# the Chromium binary and axe-core's axe.min.js. Installs Debian's chromium
# and a Chinese font when they are missing (as root, or with sudo), and the
# pinned axe-core from the npm registry into the cache; later runs only
# print the paths.
set -euo pipefail

axe_version="4.10.3"
cache="${GONGKAI_CACHE:-$HOME/.cache/gongkai}"

chromium="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$chromium" ]; then
  echo "browser.sh: installing chromium from Debian (a few minutes)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2
  chromium="$(command -v chromium)"
fi

# Without a Chinese font every character of a screenshot is an empty box.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  echo "browser.sh: installing a Chinese font from Debian (fonts-wqy-microhei)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-wqy-microhei >&2
fi

axedir="$cache/axe-core-$axe_version"
axe="$axedir/node_modules/axe-core/axe.min.js"
if [ ! -f "$axe" ]; then
  echo "browser.sh: installing axe-core $axe_version from npm" >&2
  mkdir -p "$axedir"
  npm install --silent --no-audit --no-fund --prefix "$axedir" "axe-core@$axe_version" >&2
fi

echo "$chromium"
echo "$axe"
