#!/usr/bin/env bash
# The developer's one entry point (the README's two commands):
#   packaging/dev.sh run [--fullscreen] [kiosk options…]   install what is missing, build, start the kiosk on demo data
#   packaging/dev.sh test                                  install, build, run every test (ctest)
#   packaging/dev.sh bench                                 install, build, print the benchmark figures
#   packaging/dev.sh capture [DIR]                         install, build, render every screen (normal and elder mode) and sample slips to PNG
#   packaging/dev.sh demo-large [kiosk options…]           as run, on a 6-tower × 33-floor estate with a busy desk
#   packaging/dev.sh package                               install, build, write the lobby-kiosk and lobby-headoffice .debs to build/packages/
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD=${BUILD_DIR:-$ROOT/build}
JOBS=$(nproc 2>/dev/null || echo 2)

build() {
  packaging/install-deps.sh
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD" -j "$JOBS"
}

cmd=${1:-help}
shift || true
case "$cmd" in
  run|demo-large)
    build
    site=$ROOT/assets/demo/site.json
    seed=()
    if [ "$cmd" = demo-large ]; then
      data=${KIOSK_DATA:-$ROOT/kiosk-data-large}
      mkdir -p "$data"
      site=$data/site-large.json
      seed=(--seed-desk)
    fi
    data=${data:-${KIOSK_DATA:-$ROOT/kiosk-data}}
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "dev.sh: there is no display here (DISPLAY is not set), so the kiosk cannot open its window."
      echo "  To see every screen as pictures instead:   packaging/dev.sh capture captures/"
      echo "  To play a UI script without a display:      $BUILD/kiosk/app/lobby-kiosk --data $data --site assets/demo/site.json --script FILE --headless"
      exit 3
    fi
    # The large estate's site file, written once (a PIN for each of the 792 flats: tens of seconds of
    # Argon2id); tower 6, floor 33, flat 4 is T6-3304 with PIN 63346334 (tower, floor, flat, twice).
    if [ "$cmd" = demo-large ] && [ ! -s "$site" ]; then
      "$BUILD/kiosk/app/lobby-kiosk" --assets "$ROOT/assets" --write-large-estate "$site" --all-pins
    fi
    # Head office on loopback with the demo site, for this kiosk to sync with; it stops with the kiosk.
    # Its store is a SQLite file here, or the PostgreSQL database KIOSK_HEADOFFICE_DB names.
    ho=$data/headoffice
    port=${KIOSK_HEADOFFICE_PORT:-8700}
    hodb=${KIOSK_HEADOFFICE_DB:-$ho/headoffice.db}
    mkdir -p "$ho"
    "$BUILD/sync/lobby-headoffice" import --db "$hodb" --site-id SG01 "$site"
    code=$("$BUILD/sync/lobby-headoffice" add-kiosk --db "$hodb" --site-id SG01 --kiosk K1)
    # The console's demo admin: a generated password in a file only this user reads, made once.
    admin_pw=$ho/console-admin.password
    if [ ! -s "$admin_pw" ]; then
      (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$admin_pw")
      "$BUILD/sync/lobby-headoffice" add-user admin --db "$hodb" --role admin --all-sites --password-file "$admin_pw" ||
        { rm -f "$admin_pw"; echo "dev.sh: the console already has an admin, whose password is not in $admin_pw"; }
    fi
    "$BUILD/sync/lobby-headoffice" serve --db "$hodb" --listen "127.0.0.1:$port" \
      --notify-file "$ho/notifications.jsonl" &
    ho_pid=$!
    trap 'kill $ho_pid 2>/dev/null' EXIT
    echo "dev.sh: head-office console at http://127.0.0.1:$port/console/ — sign in as 'admin' with the password in $admin_pw"
    "$BUILD/kiosk/app/lobby-kiosk" --data "$data" --site "$site" "${seed[@]}" \
      --headoffice "http://127.0.0.1:$port" --enrol "$code" "$@"
    ;;
  test)
    build
    cd "$BUILD"
    ctest --output-on-failure -j "$JOBS" --timeout 1200
    ;;
  bench)
    build
    "$BUILD/tests/kiosk-bench" --kiosk "$BUILD/kiosk/app/lobby-kiosk" --assets "$ROOT/assets" "$@"
    "$BUILD/tests/estate-bench" "[bench]"
    "$BUILD/tests/sync-bench" "$BUILD"
    "$BUILD/tests/console-bench"
    ;;
  capture)
    build
    out=${1:-$ROOT/captures}
    data=$(mktemp -d)
    # One moment for the screens and the slips, so a picture of the fee screen and the slip it
    # prints say the same months owed (and the pictures do not change with the day they are taken).
    now='2026-11-22 09:30'
    xvfb-run -a -s '-screen 0 1920x1080x24' "$BUILD/kiosk/app/lobby-kiosk" --data "$data" \
      --site "$ROOT/assets/demo/site.json" --now "$now" --capture "$out"
    # The slips a resident takes away, as the printer would get them (58 mm), to $out/slips/.
    "$BUILD/kiosk/app/lobby-kiosk" --data "$data/slips" --site "$ROOT/assets/demo/site.json" --headless \
      --now "$now" --script "$ROOT/tests/scripts/slips.kiosk" --printer "png:$out/slips" --paper 58
    # The large estate's screens (large_*.png): floors, bills by year, the desk's parcel search.
    "$BUILD/kiosk/app/lobby-kiosk" --assets "$ROOT/assets" --write-large-estate "$data/site-large.json"
    xvfb-run -a -s '-screen 0 1920x1080x24' "$BUILD/kiosk/app/lobby-kiosk" --data "$data/large" \
      --site "$data/site-large.json" --seed-desk --now "$now" --tour large --capture "$out"
    rm -rf "$data"
    ;;
  package)
    build
    # CPack (packaging/packaging.cmake): one .deb per component, dependencies from dpkg-shlibdeps,
    # the version from the project's VERSION and git (packaging/version.cmake).
    out=$BUILD/packages
    rm -rf "$out"
    (cd "$BUILD" && cpack -G DEB -B "$out" >/dev/null)
    rm -rf "$out/_CPack_Packages"
    ls -1 "$out"/*.deb
    ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# //'
    exit 2
    ;;
esac
