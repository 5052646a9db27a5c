#!/usr/bin/env bash
# A heavy, optional proof of VideoAkka's ComfyUI backend against a REAL, unmodified ComfyUI 0.3.64 on this CPU (no
# GPU, no model weights). Not for CI: it needs a git mirror of Comfy-Org/ComfyUI and the Debian packages that
# ../shared/tools/comfyui-real/setup.sh installs.
#
#   scripts/comfyui-real-smoke.sh [MIRROR] [WORK]
#
#   MIRROR  git directory of Comfy-Org/ComfyUI (default $COMFYUI_MIRROR or /work/.mirror/Comfy-Org+ComfyUI/repo)
#   WORK    work dir for ComfyUI, the service's data and the logs (default: a new temp dir); reused if given again
#
# Steps: setup.sh + start.sh of ../shared/tools/comfyui-real (a ComfyUI already running in WORK is reused and left
# running); dotnet build; the service with COMFYUI_URL=<that server>, VIDEOAKKA_CONFIG=samples/comfyui-model-free/
# akka.hocon (model-free core-node workflows, 360x640 frames), embedded Redis and a fresh DATA_SHARED_BASE; a 2-scene
# job over HTTP, its narration spoken by the shipped speech workflow config/workflows/tts-kokoro.json (ComfyUI loads
# samples/comfyui-model-free/kokoro_standin in place of the Kokoro custom node: same interface, espeak-ng speech),
# followed until it ends; then ffprobe checks of every file, the manifest's backends and voice, and that the scene
# files and the speech came out of ComfyUI's output folder. Whatever happens, the service and the ComfyUI it started are
# stopped. The last line is "comfyui-real smoke: passed" (exit 0) or "comfyui-real smoke: failed (<why>)" (exit 1).
set -euo pipefail

REPO=$(git -C "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" rev-parse --show-toplevel)
TOOL="$REPO/../shared/tools/comfyui-real"
MIRROR=${1:-${COMFYUI_MIRROR:-/work/.mirror/Comfy-Org+ComfyUI/repo}}
WORK=${2:-}
PY=/usr/bin/python3
JOB_TIMEOUT=${SMOKE_JOB_TIMEOUT:-900}     # seconds the job may take
FRAME=360x640                             # samples/comfyui-model-free/akka.hocon: output.sizes."9:16"

REASON=""
SERVICE_PID=""
STARTED_COMFY=0
DATA=""
T0=$(date +%s)

say() { printf '[smoke %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
fail() { REASON=$1; exit 1; }

on_error() { [ -n "$REASON" ] || REASON="line $1: '$2' exited with $3"; }
trap 'on_error "$LINENO" "$BASH_COMMAND" "$?"' ERR

stop_service() {
  [ -n "$SERVICE_PID" ] || return 0
  if kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$SERVICE_PID" 2>/dev/null; then kill -KILL "$SERVICE_PID" 2>/dev/null || true; fi
    say "stopped the service (pid $SERVICE_PID)"
  fi
  wait "$SERVICE_PID" 2>/dev/null || true
  # The embedded redis-server is the service's child and stops with it; after a KILL it may not have: stop the one
  # this run's data folder names, and only if it still is a redis-server.
  local owner="$DATA/.redis/embedded-redis.owner" rpid
  if [ -f "$owner" ]; then
    rpid=$(cut -d' ' -f1 "$owner")
    if [ -n "$rpid" ] && [ "$(cat "/proc/$rpid/comm" 2>/dev/null)" = "redis-server" ]; then
      kill -TERM "$rpid" 2>/dev/null || true
      say "stopped the embedded redis-server left behind (pid $rpid)"
    fi
  fi
  SERVICE_PID=""
}

cleanup() {
  local rc=$?
  trap - ERR
  set +e
  stop_service
  if [ "$STARTED_COMFY" = 1 ]; then bash "$TOOL/stop.sh" "$WORK" | sed 's/^/[smoke] /'; fi
  if [ "$rc" -eq 0 ] && [ -z "$REASON" ]; then
    say "total $(( $(date +%s) - T0 )) s; logs in $WORK"
    echo "comfyui-real smoke: passed"
    exit 0
  fi
  [ -n "$REASON" ] || REASON="exit code $rc"
  [ -z "$WORK" ] || say "logs in $WORK (videoakka.log, comfyui.log)"
  echo "comfyui-real smoke: failed ($REASON)"
  exit 1
}
trap cleanup EXIT
trap 'REASON=${REASON:-interrupted}; exit 130' INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

[ -x "$PY" ] || fail "$PY is missing (ComfyUI runs on Debian's python3)"
for tool in curl ffprobe dotnet; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
[ -d "$TOOL" ] || fail "no $TOOL"
[ -d "$MIRROR" ] || fail "no ComfyUI mirror at $MIRROR (give it as the first argument or COMFYUI_MIRROR)"
if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/comfyui-real-smoke.XXXXXX); fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd -P)
cd "$REPO"
say "repo $REPO, mirror $MIRROR, work dir $WORK"

# 1. A real ComfyUI on this CPU.
t=$(date +%s)
bash "$TOOL/setup.sh" "$MIRROR" "$WORK" >"$WORK/setup.log" 2>&1 || { tail -n 20 "$WORK/setup.log"; fail "setup.sh failed (see $WORK/setup.log)"; }
tail -n 4 "$WORK/setup.log" | head -n 1 | sed 's/^/[smoke] /'
if [ -f "$WORK/comfyui.pid" ] && kill -0 "$(cat "$WORK/comfyui.pid")" 2>/dev/null; then
  COMFY_URL=$(cat "$WORK/comfyui.url")
  say "reusing the ComfyUI already running in $WORK (pid $(cat "$WORK/comfyui.pid")); it is left running"
else
  STARTED_COMFY=1
  # The speech template's custom node, as a stand-in (see its docstring); the tool loads no custom node unless listed.
  rm -rf "$WORK/ComfyUI/custom_nodes/kokoro_standin"
  cp -r samples/comfyui-model-free/kokoro_standin "$WORK/ComfyUI/custom_nodes/kokoro_standin"
  COMFY_URL=$(COMFYUI_EXTRA_ARGS="${COMFYUI_EXTRA_ARGS:-} --whitelist-custom-nodes kokoro_standin" bash "$TOOL/start.sh" "$WORK" | tail -n 1) \
    || fail "start.sh failed (see $WORK/comfyui.log)"
fi
VERSION=$(curl -fsS "$COMFY_URL/system_stats" | json 'd["system"]["comfyui_version"]') || fail "no /system_stats from $COMFY_URL"
[ "$(curl -fsS "$COMFY_URL/object_info/KokoroGenerator")" != "{}" ] \
  || fail "this ComfyUI has no KokoroGenerator (a reused server started without samples/comfyui-model-free/kokoro_standin?)"
say "ComfyUI $VERSION at $COMFY_URL ($(( $(date +%s) - t )) s)"

# 2. VideoAkka.
t=$(date +%s)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build VideoAkka.sln -c Release -nologo -v quiet -clp:ErrorsOnly >"$WORK/build.log" 2>&1 \
  || { tail -n 30 "$WORK/build.log"; fail "dotnet build failed (see $WORK/build.log)"; }
say "built VideoAkka ($(( $(date +%s) - t )) s)"

DATA=$(mktemp -d "$WORK/data.XXXXXX")
PORT=$(free_port)
API="http://127.0.0.1:$PORT"
t=$(date +%s)
env -u REDIS_URL -u VIDEO_COMPLETED_N8N_WEBHOOK_URL -u VIDEOAKKA_ROLE -u VIDEOAKKA_WORKER_ID \
  COMFYUI_URL="$COMFY_URL" VIDEOAKKA_CONFIG=samples/comfyui-model-free/akka.hocon DATA_SHARED_BASE="$DATA" \
  ASPNETCORE_URLS="$API" \
  dotnet src/Host/bin/Release/net10.0/VideoAkka.Host.dll </dev/null >"$WORK/videoakka.log" 2>&1 &
SERVICE_PID=$!
until curl -fsS -o /dev/null "$API/healthz/ready" 2>/dev/null; do
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then
    tail -n 30 "$WORK/videoakka.log"; SERVICE_PID=""; fail "the service exited at startup (see $WORK/videoakka.log)"
  fi
  [ $(( $(date +%s) - t )) -lt 120 ] || fail "the service was not ready within 120 s"
  sleep 0.5
done
say "service ready at $API (pid $SERVICE_PID, $(( $(date +%s) - t )) s): $(grep -m1 -o 'generator ComfyUI at .*' "$WORK/videoakka.log" || true)"

# 3. A 2-scene job: scene 1 with a random seed, scene 2 with the largest seed the API accepts (2^53-1).
RUN_ID="comfyui-real-smoke-$(date +%Y%m%d-%H%M%S)"
REQUEST=$(cat <<EOF
{
  "script": "A lighthouse stands on the rocks. At night its light sweeps the sea.",
  "run_id": "$RUN_ID",
  "prompts": [
    "A red and white lighthouse on a rocky coast at golden hour",
    { "image": "The lighthouse at night, its beam over dark water", "video": "the beam sweeps slowly across the sea", "duration": 2, "seed": 9007199254740991 }
  ],
  "options": { "aspect": "9:16", "fps": 8, "voice": { "engine": "comfyui", "name": "kokoro" } }
}
EOF
)
t=$(date +%s)
ANSWER=$(curl -sS -w '\n%{http_code}' -H 'Content-Type: application/json' --data-binary "$REQUEST" "$API/orchestrate/start")
CODE=${ANSWER##*$'\n'}; ANSWER=${ANSWER%$'\n'*}
[ "$CODE" = 202 ] || fail "POST /orchestrate/start answered $CODE: $ANSWER"
JOB_ID=$(printf '%s' "$ANSWER" | json 'd["job_id"]')
say "submitted job $JOB_ID (run_id $RUN_ID)"

STATUS="" LAST=""
while :; do
  RECORD=$(curl -fsS "$API/orchestrate/status/$JOB_ID") || fail "GET /orchestrate/status/$JOB_ID failed"
  STATUS=$(printf '%s' "$RECORD" | json 'd["status"]')
  NOW=$(printf '%s' "$RECORD" | json '" ".join(str(d.get(k)) for k in ("status", "stage", "progress"))')
  [ "$NOW" = "$LAST" ] || say "job: $NOW"
  LAST=$NOW
  case "$STATUS" in completed|failed) break ;; esac
  kill -0 "$SERVICE_PID" 2>/dev/null || { SERVICE_PID=""; fail "the service died while the job ran (see $WORK/videoakka.log)"; }
  [ $(( $(date +%s) - t )) -lt "$JOB_TIMEOUT" ] || fail "the job did not end within $JOB_TIMEOUT s (SMOKE_JOB_TIMEOUT)"
  sleep 1
done
JOB_SECONDS=$(( $(date +%s) - t ))
say "job $STATUS after $JOB_SECONDS s; the record:"
printf '%s' "$RECORD" | "$PY" -m json.tool
if [ "$STATUS" != completed ]; then
  say "service log (warnings and errors):"
  grep -E ' (warn|fail|crit)[: ]|rror' "$WORK/videoakka.log" | tail -n 20 || true
  fail "the job failed: $(printf '%s' "$RECORD" | json 'd.get("error")')"
fi

# 4. The files.
OUT=$(printf '%s' "$RECORD" | json 'd["output_dir"]')
[ -d "$OUT" ] || fail "output_dir $OUT does not exist"
probe() { ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height,nb_frames,r_frame_rate -show_entries format=duration -of compact=p=0 "$1"; }
size() { ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$1"; }
FINAL="$OUT/stitched_subtitled.mp4"
[ -s "$FINAL" ] || fail "no $FINAL"
say "ffprobe stitched_subtitled.mp4: $(probe "$FINAL" | tr '\n' ' ')"
[ "$(size "$FINAL")" = "$FRAME" ] || fail "stitched_subtitled.mp4 is $(size "$FINAL"), not $FRAME"
for n in 001 002; do
  for f in "img_$n.png" "vid_$n.mp4"; do
    [ -s "$OUT/$f" ] || fail "no $OUT/$f"
    say "ffprobe $f: $(probe "$OUT/$f" | tr '\n' ' ')"
    [ "$(size "$OUT/$f")" = "$FRAME" ] || fail "$f is $(size "$OUT/$f"), not $FRAME"
  done
done

BACKENDS=$("$PY" - "$OUT/manifest.json" <<'PY'
import json, sys
found = {"image_backend": [], "clip_backend": []}
def walk(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in found:
                found[key].append(value)
            walk(value)
    elif isinstance(node, list):
        for item in node:
            walk(item)
walk(json.load(open(sys.argv[1])))
print(" ".join(f"{k}={','.join(map(str, v)) or '-'}" for k, v in found.items()))
PY
) || fail "manifest.json is missing or not JSON"
say "manifest.json: $BACKENDS"
[ "$BACKENDS" = "image_backend=comfyui,comfyui clip_backend=comfyui,comfyui" ] || fail "manifest.json does not say comfyui for both scenes ($BACKENDS)"

# The scene files were made by this ComfyUI: its output folder holds this job's images and clips.
COMFY_OUT="$WORK/ComfyUI/output/videoakka/$JOB_ID"
say "ComfyUI made: $(cd "$COMFY_OUT" 2>/dev/null && ls | tr '\n' ' ')"
for n in 001 002; do
  compgen -G "$COMFY_OUT/img_${n}_*.png" >/dev/null || fail "ComfyUI's output folder has no img_${n} for this job ($COMFY_OUT)"
  compgen -G "$COMFY_OUT/vid_${n}_*.mp4" >/dev/null || fail "ComfyUI's output folder has no vid_${n} for this job ($COMFY_OUT)"
done
say "ComfyUI log: $(grep -c 'Prompt executed' "$WORK/comfyui.log") prompts executed"

# Every binding reached ComfyUI: its /history holds this job's four prompts as it ran them, with the values VideoAkka
# set (PreviewAny echoes the positive prompt back as its output text).
"$PY" - "$COMFY_URL" "$JOB_ID" "$OUT/manifest.json" <<'PY' || fail "ComfyUI's /history does not show the values VideoAkka should have set"
import json, sys, urllib.request
url, job, manifest = sys.argv[1:4]
scenes = {s["index"]: s for s in json.load(open(manifest))["scenes"]}
history = json.load(urllib.request.urlopen(url + "/history?max_items=200", timeout=30))
width, height, frames, fps = 160, 304, 17, 8   # akka.hocon: 0.05 MP at 9:16 in multiples of 16; 2 s at 8 fps, 4k+1
problems, seen = [], set()
for pid, entry in history.items():
    graph = entry["prompt"][2]
    by_title = {n.get("_meta", {}).get("title"): (nid, n["inputs"]) for nid, n in graph.items()}
    save = by_title.get("Save Image") or by_title.get("Save Video")
    prefix = save[1].get("filename_prefix", "") if save else ""
    if not prefix.startswith(f"videoakka/{job}/"):
        continue
    name = prefix.rsplit("/", 1)[1]
    kind, index = name[:3], int(name[4:])
    scene = scenes[index]
    seen.add(name)
    status = entry.get("status", {}).get("status_str")
    texts = [t for out in entry.get("outputs", {}).values() for t in out.get("text", [])]
    positive = scene["image_prompt"] if kind == "img" else (scene["video_prompt"] or scene["image_prompt"])
    got = {
        "status": status,
        "positive": by_title["Positive prompt"][1]["value"],
        "previewed": texts,
        "seed": by_title["Sampler"][1]["seed"],
        "size": [by_title["Image size" if kind == "img" else "Video size"][1][k] for k in ("width", "height")],
    }
    want = {"status": "success", "positive": positive, "previewed": [positive], "seed": scene["seed"], "size": [width, height]}
    if kind == "vid":
        got.update(length=by_title["Video length"][1]["amount"], fps=by_title["Create Video"][1]["fps"],
                   image=by_title["Start image"][1]["image"])
        want.update(length=frames, fps=fps, image=f"videoakka/{job}/img_{index:03d}.png")
    print(f"[smoke] ComfyUI prompt {pid} ({name}): " + ", ".join(f"{k}={v!r}" for k, v in got.items()))
    problems += [f"{name}.{k}: {got[k]!r}, expected {v!r}" for k, v in want.items() if got[k] != v]
missing = {"img_001", "img_002", "vid_001", "vid_002"} - seen
problems += [f"no prompt in /history for {m}" for m in sorted(missing)]
for p in problems:
    print("[smoke] MISMATCH " + p)
sys.exit(1 if problems else 0)
PY
# The narration was spoken by ComfyUI: one SaveAudio flac per sentence in its output folder, which together last as
# long as the voiceover (the mp3's encoder padding aside), and the manifest names the voice.
SPEECH_OUT="$WORK/ComfyUI/output/videoakka/$RUN_ID/speech"
say "ComfyUI spoke: $(cd "$SPEECH_OUT" 2>/dev/null && ls | tr '\n' ' ')"
for n in 001 002; do
  compgen -G "$SPEECH_OUT/piece_${n}_*.flac" >/dev/null || fail "ComfyUI's output folder has no speech piece_${n} for this job ($SPEECH_OUT)"
done
seconds() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }
SPOKEN=$(for f in "$SPEECH_OUT"/piece_00[12]_*.flac; do seconds "$f"; done | "$PY" -c 'import sys; print(round(sum(float(x) for x in sys.stdin), 3))')
VOICEOVER=$(seconds "$OUT/voiceover.mp3")
say "speech: ComfyUI's flac pieces ${SPOKEN} s, voiceover.mp3 ${VOICEOVER} s"
"$PY" -c "import sys; sys.exit(0 if abs($SPOKEN - $VOICEOVER) <= 0.15 else 1)" || fail "the voiceover (${VOICEOVER} s) is not ComfyUI's speech (${SPOKEN} s)"
VOICE=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["voice"])' "$OUT/manifest.json")
[ "$VOICE" = "comfyui:kokoro" ] || fail "manifest.json names the voice $VOICE, not comfyui:kokoro"

say "timings: job ${JOB_SECONDS} s (submit to $STATUS)"
