#!/usr/bin/env bash
# Load test of the local stack (issue 9): uploads N real photos, C at a time, to the stack that
# scripts/run-local.sh runs, follows every job through the status function, and prints throughput,
# upload->terminal p50/p95/p99, lost and failed counts, and the bare engine's images/s on one core measured in
# the same run (before the load, while the stack is idle), with the ratio. Last line machine-readable:
#   load n=<N> ok=<> lost=<> failed=<> p50_ms=<> p99_ms=<> jobs_per_s=<> engine_img_per_s=<> ratio=<>
#
# Usage: scripts/load-local.sh N C [--wait] [--photos DIR] [--deadline-s S] [--poll-ms MS] [--help]
#
# Default: a burst, C uploads in flight and nobody waits; --wait: each of C workers waits for its job (C=1: one
# at a time). Photos: --photos DIR, else $THUMBNAILS_SHARED_DIR/testdata/photos, else ../shared/testdata/photos.
# The engine is pinned to CPU $BENCH_CPU (default 1), as scripts/bench.sh does. Reads the variables run-local.sh
# reads (MINIO_ENDPOINT or LOCAL_S3_PORT, MINIO_ACCESS_KEY/SECRET_KEY, UPLOAD_BUCKETS, LOCAL_STATUS_PORT).
# Exit status: 0; 1 if a job was lost; 2 usage; 3 no stack running, no photos or no engine figure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

for arg in "$@"; do
  case "$arg" in -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
done
if ! command -v java >/dev/null 2>&1; then
  echo "load-local.sh: no 'java' on PATH. Install a JDK 17 or newer (e.g. 'apt-get install openjdk-17-jdk-headless')." >&2
  exit 3
fi
status="http://127.0.0.1:${LOCAL_STATUS_PORT:-8082}/actuator/health"
if command -v curl >/dev/null 2>&1 && ! curl -fsS -o /dev/null --max-time 5 "$status" 2>/dev/null; then
  echo "load-local.sh: no local stack is running (nothing answers at $status)." >&2
  echo "Start one in another terminal with scripts/run-local.sh (same environment variables), then try again." >&2
  exit 3
fi

# The load tool (local-stack main classes) and the engine benchmark (image test classes), as bench.sh builds it.
echo "Building the load tool and the engine benchmark..." >&2
"$root/mvnw" -B -q -f "$root/pom.xml" test-compile dependency:build-classpath -pl functions/image,functions/local-stack \
  -am -Dmdep.includeScope=runtime -Dmdep.outputFile=target/load-local.classpath >/dev/null
engine_cp="$root/functions/image/target/classes:$root/functions/image/target/test-classes:$(cat "$root/functions/image/target/load-local.classpath")"
load_cp="$root/functions/local-stack/target/classes:$(cat "$root/functions/local-stack/target/load-local.classpath")"

exec java -Dthumbnails.root="$root" -cp "$load_cp" io.github.knthumbnails.local.load.LoadMain \
  --engine-classpath "$engine_cp" --engine-cpu "${BENCH_CPU:-1}" "$@"
