#!/usr/bin/env bash
# Installs everything the kiosk needs to build, run and test, from Debian 12 packages only.
# Idempotent: packages already present are not touched; apt-get runs only when something is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git
  # GUI: Dear ImGui 1.86 (its static library carries the GLFW + OpenGL3 backends; needs stb), GLFW, GL
  libimgui-dev libstb-dev libglfw3-dev libgl-dev libgl1-mesa-dri
  # store, network, barcodes
  libsqlite3-dev libsqlitecpp-dev libcurl4-openssl-dev libzint-dev
  # the full font atlas kept deflated until its upload
  zlib1g-dev
  # head office's PostgreSQL mode: the client library, and a server its tests start on loopback
  libpq-dev postgresql
  # tests: a certificate for head office over https
  openssl
  # well-kept helpers
  nlohmann-json3-dev libcpp-httplib-dev libspdlog-dev libcli11-dev libsodium-dev
  # head office ends TLS in its own front door
  libssl-dev
  # the installed programs: /etc/lobby-*/*.toml (toml++), Type=notify and the watchdog (sd_notify)
  libtomlplusplus-dev libsystemd-dev
  # Chinese pinyin input for what residents type (its dictionary is ~1 MB)
  libgooglepinyin0-dev
  # reading a screen aloud in elder mode: espeak-ng (Mandarin, Cantonese, English voices) and the
  # audio library it plays through
  libespeak-ng-dev espeak-ng-data libpcaudio-dev
  # zh-TW: the pinyin engine's candidates turned into traditional characters (OpenCC and its tables)
  libopencc-dev libopencc-data
  # the CJK font the kiosk draws with (one file ~5 MB; Noto CJK is the fallback when present), and
  # fontTools' pyftsubset, which cuts it at build time to the characters the kiosk uses (~1 MB)
  fonts-wqy-microhei python3-fonttools
  # tests: Catch2 2.13, a real X server with Mesa's software renderer, a real barcode decoder
  catch2 xvfb xauth libzbar-dev
  # packages (packaging/dev.sh package): dpkg-shlibdeps (dpkg-dev), lintian; cage and XWayland,
  # which the kiosk's unit runs (systemd-analyze verify looks for them; the kiosk can be tried
  # under a headless cage). Not seatd: it would start a seat daemon on a developer's machine.
  dpkg-dev lintian cage xwayland
  # the head-office console (/console/): Debian's web assets, served from where they are installed;
  # its browser tests drive Debian's Chromium through Selenium (tests/console/test_console.py)
  libjs-bootstrap5 libjs-chart.js chromium chromium-driver python3-selenium python3-requests
  # the appliance test (packaging/appliance-test.sh): a Debian 12 root to boot, and reading the
  # kiosk's and head office's SQLite stores from outside it
  debootstrap sqlite3
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2; exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
