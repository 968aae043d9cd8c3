#!/bin/sh
# The real lobby-kiosk (under xvfb-run) against the real `lobby-headoffice serve`: its first
# heartbeat reaches head office and `lobby-headoffice fleet` shows it online with its restart
# cause — "first", then "normal" after a SIGHUP (it exits in order), then "crash" after a
# SIGKILL — and offline 16 minutes after its last heartbeat (judged with --now).
# Usage: fleet_kiosk.sh KIOSK HEADOFFICE SITE_JSON WORKDIR
set -u
KIOSK=$1 HO=$2 SITE=$3 W=$4
rm -rf "$W" && mkdir -p "$W" || exit 1
pids=""
cleanup() { for p in $pids; do kill -TERM "$p" 2>/dev/null; done; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$W"/*.log; do echo "--- $f"; tail -n 20 "$f"; done; exit 1; }
# Polls a condition every 0.1 s until it holds or DEADLINE seconds pass.
wait_for() {
    deadline=$1; shift
    i=0
    while ! "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ "$i" -ge $((deadline * 10)) ] && return 1
        sleep 0.1
    done
}

"$HO" import --db "$W/ho.db" --site-id SG01 "$SITE" >/dev/null || fail "import"
code=$("$HO" add-kiosk --db "$W/ho.db" --site-id SG01 --kiosk K1 2>/dev/null) || fail "add-kiosk"
"$HO" serve --db "$W/ho.db" --listen 127.0.0.1:0 > "$W/serve.log" 2>&1 &
pids="$!"
wait_for 30 grep -q "listening on http://127.0.0.1:" "$W/serve.log" || fail "serve did not start"
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$W/serve.log" | head -n 1)

fleet_says() { "$HO" fleet --db "$W/ho.db" --json "$@" > "$W/fleet.json" 2>&1 && grep -q "$1" "$W/fleet.json"; }
fleet_has() { "$HO" fleet --db "$W/ho.db" --json > "$W/fleet.json" 2>&1 && grep -q "$1" "$W/fleet.json"; }
# One run of the kiosk: its data folder kept between runs; echoes the kiosk's pid.
start_kiosk() {
    xvfb-run -a -s '-screen 0 1280x720x24' "$KIOSK" --data "$W/kiosk" --site "$SITE" --size 1280 \
        --headoffice "http://127.0.0.1:$port" --enrol "$code" > "$W/kiosk$1.log" 2>&1 &
    wait_for 30 pgrep -f "^$KIOSK --data $W/kiosk" || fail "kiosk run $1 did not start"
    pgrep -f "^$KIOSK --data $W/kiosk" | head -n 1
}
gone() { ! kill -0 "$1" 2>/dev/null; }

k=$(start_kiosk 1); pids="$pids $k"
wait_for 30 grep -q "last restart cause first" "$W/kiosk1.log" || fail "run 1 cause"
wait_for 60 fleet_has '"restart_cause": "first"' || fail "no heartbeat from run 1"
grep -q '"status": "online"' "$W/fleet.json" || fail "run 1 not online"
# SIGHUP: what the unit stops it with (cage aborts on SIGTERM); run 2 must read it as "normal".
kill -HUP "$k"; wait_for 30 gone "$k" || fail "run 1 did not exit on SIGHUP"

k=$(start_kiosk 2); pids="$pids $k"
wait_for 30 grep -q "last restart cause normal" "$W/kiosk2.log" || fail "run 2 cause"
wait_for 60 fleet_has '"restart_cause": "normal"' || fail "no heartbeat from run 2"
kill -KILL "$k"; wait_for 30 gone "$k" || fail "run 2 survived SIGKILL"

k=$(start_kiosk 3); pids="$pids $k"
wait_for 30 grep -q "last restart cause crash" "$W/kiosk3.log" || fail "run 3 cause"
wait_for 60 fleet_has '"restart_cause": "crash"' || fail "no heartbeat from run 3"
kill -TERM "$k"; wait_for 30 gone "$k" || fail "run 3 did not exit on SIGTERM"

later=$(( $(date +%s) + 16 * 60 ))
"$HO" fleet --db "$W/ho.db" --now "$later" > "$W/fleet.txt" 2>&1 || fail "fleet text"
grep -q "K1         offline  no heartbeat for 16 min" "$W/fleet.txt" || { cat "$W/fleet.txt"; fail "not offline at +16 min"; }
echo "ok: first, normal, crash; online, then offline at +16 min"
