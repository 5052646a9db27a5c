#!/usr/bin/env bash
# The README's gallery, one still per script: runs the real service (draft renderer, espeak-ng, embedded Redis) on a
# free port, submits one job per language as n8n would, and writes the frame from the middle of each job's first cue
# to docs/gallery/script-<lang>.png (scaled to 360 px wide). Usage: samples/gallery-scripts.sh  (from the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/gallery
work=$(mktemp -d)
trap 'kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$out"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ASPNETCORE_URLS=http://127.0.0.1:$port DATA_SHARED_BASE=$work/shared VIDEOAKKA_URL=http://127.0.0.1:$port
./videoakka up > "$work/service.log" 2>&1 &
service=$!
for _ in $(seq 1 120); do curl -fs "$VIDEOAKKA_URL/healthz/ready" >/dev/null && break; sleep 1; done

# lang|espeak-ng voice|narration|scene prompt
jobs='zh|cmn|灯塔守护者看着大海。暴风雨就要来了，他点亮了灯。|海边的灯塔
ja|ja|とうだいもりは うみを みています。あらしが きます。|うみの とうだい
ko|ko|등대지기가 바다를 바라봅니다. 폭풍이 다가옵니다.|바닷가의 등대
ar|ar|حارس المنارة ينظر إلى البحر. العاصفة قادمة من بعيد.|منارة على البحر
he|he|שומר המגדלור מביט בים. הסערה מתקרבת.|מגדלור ליד הים
hi|hi|दीपघर का रक्षक समुद्र को देखता है। तूफान आ रहा है।|समुद्र के किनारे दीपघर
th|th|ผู้ดูแลประภาคารมองดูทะเล พายุกำลังมา|ประภาคารริมทะเล
ru|ru|Смотритель маяка смотрит на море. Приближается сильная буря.|Маяк на берегу моря
el|el|Ο φύλακας του φάρου κοιτάζει τη θάλασσα. Έρχεται καταιγίδα.|Ένας φάρος δίπλα στη θάλασσα
en|en|The lighthouse keeper watches the sea. A storm is coming.|A lighthouse by the sea'
: > "$work/jobs.jsonl"
while IFS='|' read -r lang voice script prompt; do
  python3 -c 'import json,sys; l,v,s,p=sys.argv[1:]; print(json.dumps({"run_id":"gallery-"+l,"script":s,"prompts":[{"image":p,"duration":2}],"options":{"voice":v}},ensure_ascii=False))' \
    "$lang" "$voice" "$script" "$prompt" >> "$work/jobs.jsonl"
done <<< "$jobs"
VIDEOAKKA_SKIP_BUILD=1 ./videoakka submit "$work/jobs.jsonl" --wait

while IFS='|' read -r lang _ _ _; do
  folder=$work/shared/gallery-$lang
  # The middle of the first cue, from its SRT timestamps (HH:MM:SS,mmm --> HH:MM:SS,mmm).
  middle=$(awk -F' --> ' '/-->/ { split($1,a,/[:,]/); split($2,b,/[:,]/);
    print ((a[1]*3600+a[2]*60+a[3]+a[4]/1000)+(b[1]*3600+b[2]*60+b[3]+b[4]/1000))/2; exit }' "$folder/subtitles.srt")
  ffmpeg -nostdin -v error -y -ss "$middle" -i "$folder/stitched_subtitled.mp4" -frames:v 1 -vf scale=360:-2 "$out/script-$lang.png"
  echo "$out/script-$lang.png"
done <<< "$jobs"
