#!/usr/bin/env bash
# packages: the two .debs as `packaging/dev.sh package` builds them (issue #15 item 1), checked
# from the outside: cpack into a temporary folder from the finished build, then each package's
# files, control fields, conffiles and maintainer scripts with dpkg-deb, lintian with no error,
# the unit files with systemd-analyze, and the installed kiosk finding its assets without flags.
# Usage: packages_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# The machine's own device nodes must come out as they went in: on 2026-12-02 /dev/null turned
# into a root-only regular file during a run of the whole suite (every PostgreSQL test then
# failed in initdb), and the culprit was not found. Checked after each step that runs the
# packages' programs, so the next time names the step.
host_devices() { stat -c '%n %F %a %t:%T' /dev/null /dev/zero /dev/full /dev/random /dev/urandom 2>&1; }
devices_before=$(host_devices)
devices_unchanged() {  # STEP
  local now
  now=$(host_devices)
  [ "$now" = "$devices_before" ] || fail "this machine's device nodes changed during $1: before: $devices_before; after: $now"
}

if ! (cd "$build" && cpack -G DEB -B "$tmp/out") >"$tmp/cpack.log" 2>&1; then
  cat "$tmp/cpack.log"
  echo "FAIL: cpack"
  exit 1
fi
arch=$(dpkg --print-architecture)
kiosk=$(ls "$tmp"/out/lobby-kiosk_*_"$arch".deb 2>/dev/null || true)
ho=$(ls "$tmp"/out/lobby-headoffice_*_"$arch".deb 2>/dev/null || true)
[ -f "$kiosk" ] && [ -f "$ho" ] || { ls -l "$tmp/out"; echo "FAIL: no lobby-kiosk_<version>_$arch.deb and lobby-headoffice_<version>_$arch.deb"; exit 1; }
ok "built $(basename "$kiosk") $(basename "$ho")"

# The version: the project's VERSION, then ~N.g<hash> or +N.g<hash> (packaging/version.cmake).
base=$(sed -n 's/^project(lobby_kiosk VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
version=$(dpkg-deb -f "$kiosk" Version)
if [[ "$version" =~ ^${base//./\\.}([~+][0-9]+\.g[0-9a-f]+(\.dirty)?)?$ ]]; then ok "version $version from $base"
else fail "version '$version' does not follow $base[~+]N.g<hash>"; fi
[ "$(dpkg-deb -f "$ho" Version)" = "$version" ] || fail "the two packages' versions differ"
if [[ "$version" == *"~"* ]]; then
  n=${version#*~}; n=${n%%.*}
  later="$base~$((n + 1)).g00000000"
  dpkg --compare-versions "$later" gt "$version" && dpkg --compare-versions "$base" gt "$later" \
    && ok "a later commit ($later) sorts above, the release ($base) above both" \
    || fail "version order: $later vs $version vs $base"
fi

# Files each package must hold.
has_files() {
  local deb=$1; shift
  dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$tmp/list"
  for f in "$@"; do
    grep -qx -- "$f" "$tmp/list" && ok "$(basename "$deb") holds $f" || fail "$(basename "$deb") lacks $f"
  done
}
kiosk_files=(/usr/bin/lobby-kiosk /lib/systemd/system/lobby-kiosk.service /etc/lobby-kiosk/kiosk.toml
  /usr/lib/systemd/logind.conf.d/lobby-kiosk.conf /usr/share/lobby-kiosk/fonts.txt
  /usr/share/lobby-kiosk/i18n/en.json /usr/share/lobby-kiosk/i18n/zh-CN.json /usr/share/lobby-kiosk/i18n/zh-TW.json
  /usr/share/lobby-kiosk/demo/site.json /usr/share/doc/lobby-kiosk/copyright)
[ -f "$build/kiosk/app/fonts/kiosk-cjk.ttf" ] && kiosk_files+=(/usr/share/lobby-kiosk/fonts/kiosk-cjk.ttf /usr/share/lobby-kiosk/fonts/kiosk-typing.txt)
has_files "$kiosk" "${kiosk_files[@]}"
has_files "$ho" /usr/bin/lobby-headoffice /lib/systemd/system/lobby-headoffice.service \
  /etc/lobby-headoffice/headoffice.toml /usr/share/doc/lobby-headoffice/copyright
dpkg-deb -c "$kiosk" | grep -q '/usr/bin/lobby-headoffice' && fail "lobby-kiosk carries the head office"
dpkg-deb -c "$ho" | grep -q '/usr/bin/lobby-kiosk' && fail "lobby-headoffice carries the kiosk"

# Depends: dpkg-shlibdeps' libraries and the run-time packages no linker sees.
depends_on() {
  local deb=$1; shift
  local deps
  deps=$(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' | sed 's/^ *//; s/ .*//')
  for p in "$@"; do
    grep -qx -- "$p" <<<"$deps" && ok "$(basename "$deb") depends on $p" || fail "$(basename "$deb") does not depend on $p: $(dpkg-deb -f "$deb" Depends)"
  done
}
depends_on "$kiosk" cage seatd xwayland adduser libsqlite3-0 libglfw3 libcurl4 libgooglepinyin0 libsodium23 \
  libgl1-mesa-dri fonts-wqy-microhei espeak-ng-data libespeak-ng1 libpcaudio0 libopencc-data
depends_on "$ho" adduser libsqlite3-0 libpq5 libssl3 libsodium23 libjs-bootstrap5 libjs-chart.js
dpkg-deb -f "$ho" Depends | grep -qE '(^|, )(cage|libglfw3)' && fail "the head office depends on the kiosk's screen"
# The setup slip's caption font: recommended (a server without it writes the QR code alone).
[ "$(dpkg-deb -f "$ho" Recommends)" = "fonts-wqy-microhei | fonts-noto-cjk" ] \
  && ok "$(basename "$ho") recommends fonts-wqy-microhei | fonts-noto-cjk" \
  || fail "$(basename "$ho") Recommends is '$(dpkg-deb -f "$ho" Recommends)', not the setup slip's fonts"
dpkg-deb -f "$ho" Depends | grep -q 'fonts-' && fail "the head office depends on a font (it only recommends one)"

# Conffiles and maintainer scripts.
for pair in "$kiosk:/etc/lobby-kiosk/kiosk.toml:lobby" "$ho:/etc/lobby-headoffice/headoffice.toml:lobby-headoffice"; do
  deb=${pair%%:*}; rest=${pair#*:}; conf=${rest%%:*}; user=${rest#*:}
  rm -rf "$tmp/control"; dpkg-deb -e "$deb" "$tmp/control"
  grep -qx "$conf" "$tmp/control/conffiles" && ok "$conf is a conffile" || fail "$conf is not in conffiles"
  for s in postinst prerm postrm; do [ -x "$tmp/control/$s" ] || fail "$(basename "$deb") has no executable $s"; done
  tr -d '\\\n' <"$tmp/control/postinst" | grep -q "adduser --system --group .* $user *fi" \
    && ok "postinst adds the system user $user" || fail "postinst does not add $user"
  grep -q 'rm -rf /var/lib/' "$tmp/control/postrm" || fail "postrm does not purge /var/lib"
  sh -n "$tmp/control/postinst" && sh -n "$tmp/control/postrm" && sh -n "$tmp/control/prerm" || fail "a maintainer script does not parse"
done

# lintian: no error (warnings are listed in the notes of issue #15).
if command -v lintian >/dev/null; then
  lintian --fail-on error --no-tag-display-limit "$kiosk" "$ho" >"$tmp/lintian.log" 2>&1 || true
  devices_unchanged "lintian"
  if grep -q '^E: ' "$tmp/lintian.log"; then fail "lintian errors:"; grep '^E: ' "$tmp/lintian.log"
  else ok "lintian: no error ($(grep -c '^W: ' "$tmp/lintian.log" || true) warnings)"; fi
else
  fail "lintian is not installed (packaging/install-deps.sh installs it)"
fi

# The maintainer scripts run for real, on this machine's /etc and /var/lib laid under throwaway
# overlays in a mount namespace of its own (nothing here changes): configure creates the user and
# its 0700 folder, a second configure (an upgrade) changes nothing, remove keeps /var/lib, purge
# deletes it.
scripts_run() {  # DEB USER STATE_DIR
  local deb=$1 user=$2 state=$3
  rm -rf "$tmp/ctl-$user"; dpkg-deb -e "$deb" "$tmp/ctl-$user"
  unshare -m sh -euc '
    ctl=$1 user=$2 state=$3 t=$4
    mkdir -p "$t" && mount -t tmpfs tmpfs "$t"
    for d in /etc /var/lib; do
      n=$(echo "$d" | tr / _); mkdir -p "$t/$n-up" "$t/$n-work"
      mount -t overlay overlay -o "lowerdir=$d,upperdir=$t/$n-up,workdir=$t/$n-work" "$d"
    done
    "$ctl/postinst" configure
    getent passwd "$user" | grep -q ":$state:" || { echo "no system user $user with home $state"; exit 1; }
    [ "$(stat -c "%a %U" "$state")" = "700 $user" ] || { echo "$state is $(stat -c "%a %U" "$state")"; exit 1; }
    touch "$state/kept"
    "$ctl/postinst" configure 0.0.1
    [ -e "$state/kept" ] || { echo "an upgrade lost $state"; exit 1; }
    "$ctl/prerm" remove && "$ctl/postrm" remove
    [ -e "$state/kept" ] || { echo "remove deleted $state"; exit 1; }
    "$ctl/postrm" purge
    [ ! -e "$state" ] || { echo "purge kept $state"; exit 1; }
    echo "groups: $(id -nG "$user")"
  ' sh "$tmp/ctl-$user" "$user" "$state" "$tmp/ovl-$user" >"$tmp/scripts-$user.log" 2>&1
}
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null && command -v adduser >/dev/null; then
  for pair in "$kiosk:lobby:/var/lib/lobby-kiosk" "$ho:lobby-headoffice:/var/lib/lobby-headoffice"; do
    deb=${pair%%:*}; rest=${pair#*:}; user=${rest%%:*}; state=${rest#*:}
    if scripts_run "$deb" "$user" "$state"; then ok "maintainer scripts: $user and $state made, kept on remove, gone on purge ($(tail -1 "$tmp/scripts-$user.log"))"
    elif grep -qiE "overlay|mount" "$tmp/scripts-$user.log"; then echo "skipped: maintainer scripts (cannot mount here: $(head -1 "$tmp/scripts-$user.log"))"
    else fail "maintainer scripts of $(basename "$deb"): $(cat "$tmp/scripts-$user.log")"; fi
    devices_unchanged "the maintainer scripts of $(basename "$deb")"
  done
else
  echo "skipped: running the maintainer scripts (needs root, unshare -m and adduser)"
fi

# The packages' files unpacked side by side, as a system would hold them.
root=$tmp/root
dpkg-deb -x "$kiosk" "$root"
dpkg-deb -x "$ho" "$root"

# The unit files: systemd-analyze verify needs no booted systemd, only the commands they run; it
# looks them up on this machine, so the unpacked binaries go where the units name them.
if command -v systemd-analyze >/dev/null; then
  for u in lobby-kiosk lobby-headoffice; do
    sed -e "s#/usr/bin/lobby-#$root/usr/bin/lobby-#g" "$root/lib/systemd/system/$u.service" >"$tmp/$u.service"
    if out=$(cd "$tmp" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "./$u.service" 2>&1) && [ -z "$out" ]; then
      ok "systemd-analyze verify $u.service"
    else fail "systemd-analyze verify $u.service: $out"; fi
    exposure=$(systemd-analyze security --offline=yes "$root/lib/systemd/system/$u.service" 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
    echo "   $u.service: exposure $exposure"
    awk -v e="$exposure" 'BEGIN { exit !(e != "" && e < 3.0) }' || fail "$u.service exposure '$exposure' is not below 3.0"
  done
else
  echo "skipped: the unit files (no systemd-analyze here: apt-get install systemd)"
fi

# The installed kiosk finds its catalogues and font subset in /usr/share/lobby-kiosk with no
# --assets or --font-dir: in a mount namespace of its own, the source tree's assets hidden and the
# package's /usr/share laid over this machine's.
if [ "$(id -u)" -eq 0 ] && unshare -m true 2>/dev/null; then
  if unshare -m sh -c '
      mount -t tmpfs tmpfs "$2/assets" &&
      mount -t overlay overlay -o "lowerdir=$1/usr/share:/usr/share" /usr/share &&
      exec "$1/usr/bin/lobby-kiosk" --data "$3" --site /usr/share/lobby-kiosk/demo/site.json --list-widgets' \
      sh "$root" "$src" "$tmp/data" >"$tmp/widgets.log" 2>&1; then
    if grep -q "no font subset" "$tmp/widgets.log"; then fail "the installed kiosk did not find its font subset: $(head -3 "$tmp/widgets.log")"
    else ok "the installed kiosk ran from /usr/share/lobby-kiosk ($(wc -l <"$tmp/widgets.log") widget lines)"; fi
  else
    if grep -qiE "overlay|mount|tmpfs" "$tmp/widgets.log"; then echo "skipped: the installed layout (cannot mount here: $(head -1 "$tmp/widgets.log"))"
    else fail "the installed kiosk failed: $(head -5 "$tmp/widgets.log")"; fi
  fi
else
  echo "skipped: the installed layout (needs root and unshare -m to hide the source tree's assets)"
fi

devices_unchanged "the installed kiosk's run"
[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "packages: all checks passed"
