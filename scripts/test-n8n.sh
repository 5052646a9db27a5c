#!/usr/bin/env bash
# Proves the n8n workflows in n8n/ against a REAL n8n (2.8.4, from npm), both ways, on loopback. Not part of the
# default suite: n8n is a 2.3 GB npm install (8 to 10 minutes the first time, then cached).
#
#   scripts/test-n8n.sh            (or ./videoakka test-n8n, which builds first)
#
# Steps: `npm ci` of n8n/package-lock.json into $VIDEOAKKA_N8N_CACHE (default ~/.cache/videoakka/n8n) when missing or
# changed; VideoAkka (the Release build) on a free port with its embedded Redis, a temp DATA_SHARED_BASE, an API key,
# a webhook secret, and its webhook pointing at n8n's "job finished" workflow; n8n on a free port with a temp
# N8N_USER_FOLDER, the API key imported as the Header Auth credential "VideoAkka API key" (from a temp file, deleted at
# once), both workflows imported and published; then the create-video webhook is fired with samples/demo.json and
# it checks: n8n answers with job_id and status; the job completes; the job-update with status completed reaches an
# open GET /orchestrate/events; a job_finished post with a bad or missing signature is refused by n8n (401) and
# reaches no page. Every process it started is stopped, whatever happens. Prints PASS/FAIL lines, ends with
# "test-n8n: passed" (exit 0) or "test-n8n: failed (<why>)" (exit 1) and where the logs are.
set -euo pipefail

REPO=$(git -C "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" rev-parse --show-toplevel)
CONFIGURATION=${VIDEOAKKA_CONFIGURATION:-Release}
HOST_DLL="$REPO/src/Host/bin/$CONFIGURATION/net10.0/VideoAkka.Host.dll"
CACHE=${VIDEOAKKA_N8N_CACHE:-$HOME/.cache/videoakka/n8n}
N8N="$CACHE/node_modules/.bin/n8n"
JOB_TIMEOUT=${N8N_JOB_TIMEOUT:-600}   # seconds the demo job may take
PY=/usr/bin/python3

REASON=""
FAILED=0
WORK=""
PIDS=()
T0=$(date +%s)

say() { printf '[test-n8n %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
pass() { echo "PASS $*"; }
check_failed() { echo "FAIL $*"; FAILED=1; REASON=${REASON:-$*}; }
fail() { echo "FAIL $*"; REASON=$1; exit 1; }

on_error() { [ -n "$REASON" ] || REASON="line $1: '$2' exited with $3"; }
trap 'on_error "$LINENO" "$BASH_COMMAND" "$?"' ERR

# Each process is started in a session of its own (setsid), so that stopping it stops what it started too (n8n's
# task runner; the service's embedded redis-server also dies with the service by itself). Only these groups are
# signalled.
stop_all() {
  local pid i
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    pid=${PIDS[i]}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

cleanup() {
  local rc=$?
  trap - ERR
  set +e
  stop_all
  if [ "$rc" -eq 0 ] && [ "$FAILED" = 0 ] && [ -z "$REASON" ]; then
    [ "${VIDEOAKKA_KEEP_N8N_WORK:-0}" = 1 ] && say "work folder kept: $WORK" || rm -rf "$WORK"
    say "total $(( $(date +%s) - T0 )) s"
    echo "test-n8n: passed"
    exit 0
  fi
  [ -n "$REASON" ] || REASON="exit code $rc"
  [ -z "$WORK" ] || say "logs in $WORK: videoakka.log, n8n.log, n8n-import.log, events.txt (kept)"
  echo "test-n8n: failed ($REASON)"
  exit 1
}
trap cleanup EXIT
trap 'REASON=${REASON:-interrupted}; exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
random_text() { head -c "$1" /dev/urandom | base64 | tr -d '\n/+=' ; }

# Polls until the command succeeds, or fails the run after $1 seconds.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what did not happen within ${seconds} s"
    sleep 1
  done
}

# ---- n8n from npm, once ----
command -v node >/dev/null 2>&1 || fail "node is missing (n8n 2.8.4 needs Node >= 20.19)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || fail "node $(node --version) is too old: n8n 2.8.4 needs Node >= 20.19"
mkdir -p "$CACHE"
if [ ! -x "$N8N" ] || ! cmp -s "$REPO/n8n/package-lock.json" "$CACHE/package-lock.json"; then
  say "installing n8n 2.8.4 from n8n/package-lock.json into $CACHE (8 to 10 minutes and 2.3 GB the first time)"
  cp "$REPO/n8n/package.json" "$REPO/n8n/package-lock.json" "$CACHE/"
  # sqlite3 has no prebuilt binary reachable here and is built from source: node-gyp finds Node's headers in /usr.
  (cd "$CACHE" && npm_config_nodedir=${npm_config_nodedir:-/usr} npm ci --no-audit --no-fund --loglevel=error) > /dev/null \
    || fail "npm ci of n8n failed"
fi
[ -f "$HOST_DLL" ] || fail "$HOST_DLL is not built: run ./videoakka test-n8n (it builds first)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/videoakka-n8n.XXXXXX")
VA_PORT=$(free_port)
N8N_PORT=$(free_port)
BROKER_PORT=$(free_port)
VA_URL="http://127.0.0.1:$VA_PORT"
N8N_URL="http://127.0.0.1:$N8N_PORT"
API_KEY="n8n-test-$(random_text 24)"
SECRET="whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
say "work folder $WORK; VideoAkka on $VA_URL, n8n on $N8N_URL"

# ---- VideoAkka ----
# Small frames keep the demo job short on a shared machine; everything else is the shipped configuration.
{ cat "$REPO/config/akka.hocon"; echo 'videoakka.output.sizes { "9:16" = "360x640", "16:9" = "640x360", "1:1" = "480x480" }'; } \
  > "$WORK/akka.hocon"
(
  cd "$REPO"
  export ASPNETCORE_URLS="$VA_URL" DATA_SHARED_BASE="$WORK/data/shared" VIDEOAKKA_CONFIG="$WORK/akka.hocon" \
    VIDEOAKKA_API_KEY="$API_KEY" VIDEOAKKA_WEBHOOK_SECRET="$SECRET" \
    VIDEO_COMPLETED_N8N_WEBHOOK_URL="$N8N_URL/webhook/videoakka/job-finished"
  unset REDIS_URL COMFYUI_URL
  exec setsid dotnet "$HOST_DLL"
) > "$WORK/videoakka.log" 2>&1 &
PIDS+=($!)
wait_for 120 "VideoAkka's readiness" curl -sf "$VA_URL/healthz/ready"
say "VideoAkka is ready"

# ---- n8n: credentials and workflows through its CLI, then start ----
export N8N_USER_FOLDER="$WORK/n8n" N8N_PORT N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http \
  WEBHOOK_URL="$N8N_URL/" N8N_ENCRYPTION_KEY="$(random_text 32)" \
  N8N_RUNNERS_MODE=internal N8N_RUNNERS_BROKER_PORT="$BROKER_PORT" N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1 \
  N8N_BLOCK_ENV_ACCESS_IN_NODE=false NODE_FUNCTION_ALLOW_BUILTIN=crypto \
  N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false \
  N8N_PERSONALIZATION_ENABLED=false N8N_SECURE_COOKIE=false DB_SQLITE_POOL_SIZE=2 \
  VIDEOAKKA_URL="$VA_URL" VIDEOAKKA_WEBHOOK_SECRET="$SECRET"
unset VIDEOAKKA_FRONTEND_URL   # the frontend of the seed is this API: /frontend/webhook/job-update
mkdir -p "$N8N_USER_FOLDER"
( umask 077; printf '[{"id":"videoakkaApiKey1","name":"VideoAkka API key","type":"httpHeaderAuth","data":{"name":"X-API-Key","value":"%s"}}]\n' \
    "$API_KEY" > "$WORK/credentials.json" )
{
  "$N8N" import:credentials --input="$WORK/credentials.json"
  rm -f "$WORK/credentials.json"   # the key now lives only encrypted in n8n's database
  "$N8N" import:workflow --input="$REPO/n8n/create-video.json"
  "$N8N" import:workflow --input="$REPO/n8n/job-finished.json"
  "$N8N" import:workflow --input="$REPO/n8n/wait-for-video.json"
  "$N8N" publish:workflow --id=VideoAkkaCreate1
  "$N8N" publish:workflow --id=VideoAkkaFinish1
  "$N8N" publish:workflow --id=VideoAkkaWait01
} > "$WORK/n8n-import.log" 2>&1 || { rm -f "$WORK/credentials.json"; fail "importing into n8n failed (n8n-import.log)"; }
grep -q "Successfully imported 1 credential" "$WORK/n8n-import.log" || fail "the credential was not imported (n8n-import.log)"
say "imported the credential and the three workflows, published"

setsid "$N8N" start > "$WORK/n8n.log" 2>&1 &
PIDS+=($!)
wait_for 180 "n8n's readiness" curl -sf "$N8N_URL/healthz/readiness"
wait_for 60 "n8n's webhooks" grep -q "Editor is now accessible" "$WORK/n8n.log"
say "n8n is ready"

# ---- a page following the events, as the web page does ----
curl -sN -H "X-API-Key: $API_KEY" -H "Accept: text/event-stream" "$VA_URL/orchestrate/events" > "$WORK/events.txt" 2>/dev/null &
PIDS+=($!)
sleep 1

# ---- 1. create video: the seed's body into n8n, n8n to POST /orchestrate/start ----
CREATE=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary @"$REPO/samples/demo.json" \
  "$N8N_URL/webhook/videoakka/create-video")
CODE=${CREATE##*$'\n'}
BODY=${CREATE%$'\n'*}
JOB_ID=$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1]).get("job_id",""))' "$BODY" 2>/dev/null || true)
STATUS=$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1]).get("status",""))' "$BODY" 2>/dev/null || true)
if [ "$CODE" = 202 ] && [[ "$JOB_ID" =~ ^[0-9a-f-]{36}$ ]] && [ "$STATUS" = queued ]; then
  pass "n8n's create-video webhook answered $CODE with job_id $JOB_ID and status $STATUS"
else
  fail "n8n's create-video webhook answered $CODE: $BODY"
fi

# ---- 2. the job completes ----
job_status() { curl -sf -H "X-API-Key: $API_KEY" "$VA_URL/orchestrate/status/$JOB_ID" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
deadline=$(( $(date +%s) + JOB_TIMEOUT ))
while :; do
  s=$(job_status || echo unknown)
  case "$s" in completed|failed|cancelled) break ;; esac
  [ "$(date +%s)" -lt "$deadline" ] || fail "the job is still $s after ${JOB_TIMEOUT} s"
  sleep 2
done
[ "$s" = completed ] && pass "the job completed" || fail "the job ended $s"

# ---- 3. VideoAkka's signed job_completed reached n8n, which posted the job-update to the API, seen by the page ----
has_notice() { "$PY" - "$WORK/events.txt" "$JOB_ID" "$1" <<'EOF'
import json, sys
path, job, status = sys.argv[1:]
event = None
for line in open(path, encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("event: "):
        event = line[7:]
    elif line.startswith("data: ") and event == "job-update":
        data = json.loads(line[6:])
        if data.get("job_id") == job and data.get("status") == status and set(data) == {"job_id", "status", "received_at"}:
            sys.exit(0)
    elif line == "":
        event = None
sys.exit(1)
EOF
}
deadline=$(( $(date +%s) + 90 ))
until has_notice completed; do
  if [ "$(date +%s)" -ge "$deadline" ]; then check_failed "no job-update {job_id, status: completed} reached GET /orchestrate/events within 90 s"; break; fi
  sleep 1
done
[ "$FAILED" = 1 ] || pass "the job-update {job_id: $JOB_ID, status: completed} reached an open GET /orchestrate/events"
WEBHOOK=$(curl -sf -H "X-API-Key: $API_KEY" "$VA_URL/orchestrate/status/$JOB_ID" | "$PY" -c 'import json,sys; w=json.load(sys.stdin).get("webhook") or {}; print(w.get("last_status"), w.get("delivered_at") is not None)')
[ "$WEBHOOK" = "200 True" ] && pass "VideoAkka's signed job_completed webhook was accepted by n8n (200)" \
  || check_failed "the job's webhook state is '$WEBHOOK', not delivered with 200"

# ---- 4. a job_finished post with a bad signature, or none, is refused and reaches no page ----
FORGED=$(printf '{"event":"job_failed","timestamp":%s,"data":{"job_id":"%s","status":"failed","error":"forged"}}' "$(date +%s)" "$JOB_ID")
post_finished() { curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "$@" --data-binary "$FORGED" \
  "$N8N_URL/webhook/videoakka/job-finished"; }
NOW=$(date +%s)
WRONG_KEY_SIG="v1,$(printf 'msg_forged.%s.%s' "$NOW" "$FORGED" | openssl dgst -sha256 -hmac "not-the-secret" -binary | base64)"
for attempt in "a signature made with another key" "no signature"; do
  if [ "$attempt" = "no signature" ]; then
    code=$(post_finished -H "webhook-id: msg_forged" -H "webhook-timestamp: $NOW")
  else
    code=$(post_finished -H "webhook-id: msg_forged" -H "webhook-timestamp: $NOW" -H "webhook-signature: $WRONG_KEY_SIG")
  fi
  [ "$code" = 401 ] && pass "a job_failed post with $attempt was refused by n8n ($code)" \
    || check_failed "a job_failed post with $attempt got $code from n8n, not 401"
done
sleep 3   # the events hub reads the stream every 200 ms: a forwarded update would be here by now
if has_notice failed; then check_failed "a forged job_failed reached the page as a job-update"; else pass "no forged job-update reached the page"; fi

# ---- 5. create a video and wait for it in one workflow: n8n answers once the job has ended ----
WAIT_BODY=$("$PY" -c 'import json,sys; b=json.load(open(sys.argv[1])); b["run_id"]="demo-harbour-waited"; print(json.dumps(b))' "$REPO/samples/demo.json")
WAITED=$(curl -s --max-time "$JOB_TIMEOUT" -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary "$WAIT_BODY" \
  "$N8N_URL/webhook/videoakka/create-video-and-wait" || true)
CODE=${WAITED##*$'\n'}
BODY=${WAITED%$'\n'*}
OUTCOME=$("$PY" -c 'import json,sys; b=json.loads(sys.argv[1]); print(b.get("status"), str(b.get("final_video_path") or "").endswith("/demo-harbour-waited/stitched_subtitled.mp4"))' "$BODY" 2>/dev/null || true)
[ "$CODE" = 200 ] && [ "$OUTCOME" = "completed True" ] \
  && pass "n8n's create-video-and-wait webhook answered $CODE once the job completed, with its final_video_path" \
  || check_failed "n8n's create-video-and-wait webhook answered $CODE: $BODY"

[ "$FAILED" = 0 ] || exit 1

# ---- optional: screenshots of the workflows in n8n's editor, for the README ----
if [ -n "${VIDEOAKKA_N8N_SCREENSHOTS:-}" ]; then
  mkdir -p "$VIDEOAKKA_N8N_SCREENSHOTS"
  NODE_PATH="$CACHE/node_modules" node "$REPO/scripts/n8n-screenshots.js" "$N8N_URL" "$VIDEOAKKA_N8N_SCREENSHOTS" \
    VideoAkkaCreate1=create-video.png VideoAkkaFinish1=job-finished.png VideoAkkaWait01=wait-for-video.png || say "screenshots failed (not a test failure)"
fi
