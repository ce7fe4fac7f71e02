#!/usr/bin/env bash
# End-to-end check of a deployed pipeline: uploads a real photo with mc, polls the status function until the
# job is `succeeded` (or fails loudly), and downloads the thumbnail to ./smoke-thumbnail.jpg.
# Usage: scripts/smoke.sh [PHOTO] [--timeout SECONDS] [--help]
#   PHOTO defaults to the first JPEG of ../shared/testdata/photos (THUMBNAILS_SHARED_DIR overrides ../shared).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/cluster-access.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/cluster-access.sh"

photo=""
timeout=180
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; timeout="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (try --help)" ;;
    *) photo="$1"; shift ;;
  esac
done
case "$timeout" in ''|*[!0-9]*) die "--timeout must be a number of seconds, got '$timeout'" ;; esac

root="$(repo_root)"
if [ -z "$photo" ]; then
  shared="${THUMBNAILS_SHARED_DIR:-$root/../shared}"
  photo="$(find "$shared/testdata/photos" -maxdepth 1 -iname '*.jpg' 2>/dev/null | sort | head -n 1 || true)"
  [ -n "$photo" ] || die "no photo given and none found in $shared/testdata/photos: pass a JPEG, e.g. scripts/smoke.sh ~/cat.jpg"
fi
[ -f "$photo" ] || die "photo '$photo' does not exist"

need kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"
need mc "Install the MinIO client: https://min.io/docs/minio/linux/reference/minio-mc.html"
need curl "Install curl."
need jq "Install jq."
need_cluster

step "MinIO through kubectl port-forward on 127.0.0.1:9000"
start_minio_port_forward

key="smoke/$(date -u +%Y%m%dT%H%M%SZ)-$(basename "$photo")"
step "upload $photo as images/$key"
mc cp --quiet "$photo" "pipeline/images/$key" >/dev/null

step "polling the status function (up to ${timeout}s; the first request wakes resize from zero)"
path="/status/images/$(urlencode_path "$key")"
deadline=$((SECONDS + timeout))
state=""
while [ "$SECONDS" -lt "$deadline" ]; do
  body="$(status_get "$path" 2>/dev/null || true)"
  state="$(printf '%s' "$body" | jq -r '.status // empty' 2>/dev/null || true)"
  info "${state:-no answer yet}"
  case "$state" in
    succeeded) break ;;
    failed) die "the job failed: $(printf '%s' "$body" | jq -c .error)" ;;
  esac
  sleep 3
done
[ "$state" = succeeded ] || die "no thumbnail after ${timeout}s (last status: ${state:-none}). Look at: kubectl logs -n $NAMESPACE -l serving.knative.dev/service=resize -c resize"

step "download the thumbnail"
printf '%s' "$body" | jq -r '.renditions[] | "    \(.name): \(.width)x\(.height), \(.bytes) bytes"'
rendition="$(printf '%s' "$body" | jq -r '.renditions[0] | "\(.bucket)/\(.key)"')"
mc cp --quiet "pipeline/$rendition" ./smoke-thumbnail.jpg >/dev/null
info "saved ./smoke-thumbnail.jpg ($(wc -c < ./smoke-thumbnail.jpg) bytes)"
step "smoke test passed"
