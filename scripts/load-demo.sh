#!/usr/bin/env bash
# The autoscaling demo: uploads N real photos with C uploads in parallel, shows the resize function scaling out
# (pods) and, with --watch-zero, back to zero; prints throughput and upload->thumbnail latency percentiles.
# Latency = the job's `finished` time (status function) minus the moment mc finished uploading; kind runs on
# this machine, so both clocks are the same.
# Usage: scripts/load-demo.sh [-n N] [-c C] [--watch-zero] [PHOTO_DIR] [--help]
#   N uploads (default 50), C at a time (default 8), photos cycled from PHOTO_DIR (default ../shared/testdata/photos)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/cluster-access.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/cluster-access.sh"

count=50
parallel=8
watch_zero=0
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) [ $# -ge 2 ] || die "-n needs a value"; count="$2"; shift 2 ;;
    -c) [ $# -ge 2 ] || die "-c needs a value"; parallel="$2"; shift 2 ;;
    --watch-zero) watch_zero=1; shift ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) dir="$1"; shift ;;
  esac
done
case "$count$parallel" in *[!0-9]*) die "-n and -c must be whole numbers, got -n '$count' -c '$parallel'" ;; esac
if [ "$count" -lt 1 ] || [ "$parallel" -lt 1 ]; then
  die "-n and -c must be at least 1"
fi

root="$(repo_root)"
dir="${dir:-${THUMBNAILS_SHARED_DIR:-$root/../shared}/testdata/photos}"
mapfile -t photos < <(find "$dir" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) 2>/dev/null | sort)
[ "${#photos[@]}" -gt 0 ] || die "no photos (*.jpg, *.jpeg, *.png) in '$dir': pass a folder of images"

need kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"
need mc "Install the MinIO client: https://min.io/docs/minio/linux/reference/minio-mc.html"
need curl "Install curl."
need jq "Install jq."
need_cluster

work="$(mktemp -d)"
step "MinIO through kubectl port-forward on 127.0.0.1:9000"
start_minio_port_forward
trap 'kill "$PORT_FORWARD_PID" 2>/dev/null || true; kill "${WATCH_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

run_id="load/$(date -u +%Y%m%dT%H%M%SZ)"
step "watching resize pods (kubectl get pods -w) -> $work/pods.log"
kubectl get pods -n "$NAMESPACE" -l serving.knative.dev/service=resize -w --no-headers > "$work/pods.log" 2>&1 &
WATCH_PID=$!

step "uploading $count photos from $dir to images/$run_id/, $parallel at a time"
upload_one() {
  mc cp --quiet "$1" "pipeline/images/$2" >/dev/null && printf '%s %s\n' "$2" "$(date +%s%3N)"
}
export -f upload_one
start_ms="$(date +%s%3N)"
# shellcheck disable=SC2016 # $0 and $1 below are the arguments of the child bash, not of this script
for i in $(seq 1 "$count"); do
  photo="${photos[$(( (i - 1) % ${#photos[@]} ))]}"
  printf '%s\0%s\0' "$photo" "$run_id/$(printf '%05d' "$i")-$(basename "$photo")"
done | xargs -0 -n 2 -P "$parallel" bash -c 'upload_one "$0" "$1"' > "$work/uploaded.txt"
info "uploaded $(wc -l < "$work/uploaded.txt") in $(( $(date +%s%3N) - start_ms )) ms"

step "waiting for every job to finish (status function, GET /jobs)"
prefix="$(urlencode_path "$run_id/")"
deadline=$((SECONDS + 900))
max_pods=0
while :; do
  : > "$work/jobs.jsonl"
  cursor=""
  while :; do
    page="$(status_get "/jobs?bucket=images&prefix=$prefix&limit=100${cursor:+&cursor=$cursor}")" \
      || die "the status function did not answer GET /jobs"
    printf '%s' "$page" | jq -c '.jobs[]' >> "$work/jobs.jsonl"
    cursor="$(printf '%s' "$page" | jq -r '.nextCursor // empty')"
    [ -n "$cursor" ] || break
  done
  done_count="$(jq -s '[.[] | select(.status == "succeeded" or .status == "failed")] | length' "$work/jobs.jsonl")"
  pods="$(kubectl get pods -n "$NAMESPACE" -l serving.knative.dev/service=resize --no-headers 2>/dev/null | grep -c Running || true)"
  [ "$pods" -gt "$max_pods" ] && max_pods="$pods"
  info "$(date -u +%H:%M:%S)  finished $done_count/$count  resize pods running: $pods"
  [ "$done_count" -ge "$count" ] && break
  [ "$SECONDS" -lt "$deadline" ] || die "not all jobs finished within 15 minutes; see kubectl logs -n $NAMESPACE -l serving.knative.dev/service=resize -c resize"
  sleep 2
done

step "results"
failed="$(jq -s '[.[] | select(.status == "failed")] | length' "$work/jobs.jsonl")"
jq -r '[.key, (.finished | sub("\\.[0-9]+Z$"; "Z") | fromdate), (.finished | capture("\\.(?<ms>[0-9]{1,3})").ms // "0")] | @tsv' \
  "$work/jobs.jsonl" | sed 's#^images/##' > "$work/finished.tsv"
# key -> latency ms = finished - uploaded
awk 'NR == FNR { up[$1] = $2; next } ($1 in up) { ms = substr($3 "00", 1, 3); print ($2 * 1000 + ms) - up[$1] }' \
  "$work/uploaded.txt" "$work/finished.tsv" | sort -n > "$work/latency.txt"
last_finished="$(awk '{ ms = substr($3 "00", 1, 3); t = $2 * 1000 + ms; if (t > m) m = t } END { print m }' "$work/finished.tsv")"
elapsed_ms=$(( last_finished - start_ms ))
percentile() { awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR * p + 99) / 100); if (i < 1) i = 1; print v[i] }' "$work/latency.txt"; }
info "jobs: $count ($failed failed); resize pods at most: $max_pods"
info "throughput: $(awk -v n="$count" -v ms="$elapsed_ms" 'BEGIN { printf "%.2f", n * 1000 / ms }') images/s (first upload to last thumbnail: ${elapsed_ms} ms)"
info "upload->thumbnail latency ms: p50 $(percentile 50)  p90 $(percentile 90)  p99 $(percentile 99)  max $(percentile 100)"
info "pod events: $(grep -c . "$work/pods.log" || true) lines (kubectl get pods -w)"
if command -v kn >/dev/null 2>&1; then
  kn revision list -n "$NAMESPACE" -s resize || true
fi

if [ "$watch_zero" = 1 ]; then
  step "waiting for resize to scale back to zero (stable window 60 s + scale-to-zero grace 30 s)"
  idle_start=$SECONDS
  while [ "$(kubectl get pods -n "$NAMESPACE" -l serving.knative.dev/service=resize --no-headers 2>/dev/null | grep -c . || true)" -gt 0 ]; do
    [ $((SECONDS - idle_start)) -lt 600 ] || die "resize still has pods after 10 minutes: kubectl get pods -n $NAMESPACE -w"
    sleep 5
  done
  info "resize is at zero pods after $((SECONDS - idle_start)) s idle"
else
  info "watch it scale back to zero: kubectl get pods -n $NAMESPACE -l serving.knative.dev/service=resize -w"
fi
