#!/usr/bin/env bash
# Cold start of the three functions (issue 10): builds offline what it needs, then runs each function from its
# image's own layers (functions/<f>/target/jib-layout.tar: the jlinked JDK 25, classpath, JVM flags and AOT
# cache the image ships) against one embedded S3, and measures fork -> first real request answered: resize a
# real JPEG to `succeeded`, status a GET /status, minio-source a webhook forwarded to a sink. Interleaved runs
# of: resize on 2 CPUs, resize pinned to 1 CPU (taskset -c 0), status, minio-source, and the untuned fat jar
# (java -jar functions/resize/target/resize.jar on the default JDK) as the baseline. Prints the exact commands
# it timed, each run, medians, RSS after the first request, image sizes, the ratio, and last:
#   coldstart resize_ms=<> resize_1cpu_ms=<> status_ms=<> minio_source_ms=<> baseline_resize_ms=<> runs=<n>
#
# Usage: scripts/coldstart.sh [--runs N] [--variant LIST] [--port P] [--jvm-arg FLAG]... [--no-build] [--help]
#
# --runs N: rounds, each runs every variant once (default 10). --variant: a comma-separated subset of resize,
# resize_1cpu, status, minio_source, baseline_resize (the others print NA). --port P: the variants listen on
# P..P+4 (default: free ports). --jvm-arg FLAG: add a JVM flag to the image variants, to measure a lever against the
# image as shipped (repeatable). --no-build: use what is built.
# Needs a JDK 25 for the image build: $JDK25_HOME, else the newest /usr/lib/jvm/*25*; 'java' on PATH (17 or
# newer) runs the driver and the baseline; 'taskset' (util-linux) pins the 1-CPU variant.
# Exit status: 0; 1 for a usage error, a missing prerequisite or a failed run.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

runs=10
variant=""
port=0
build=1
jvm_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs="$2"; shift 2 ;;
    --variant) [ $# -ge 2 ] || die "--variant needs a list"; variant="$2"; shift 2 ;;
    --port) [ $# -ge 2 ] || die "--port needs a number"; port="$2"; shift 2 ;;
    --jvm-arg) [ $# -ge 2 ] || die "--jvm-arg needs a flag"; jvm_args+=(--jvm-arg "$2"); shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
case "$runs" in
  ''|*[!0-9]*) die "--runs must be a whole number of at least 1, got '$runs'" ;;
esac
[ "$runs" -ge 1 ] || die "--runs must be at least 1, got $runs"

need java "Install a JDK 17 or newer (e.g. 'apt-get install openjdk-17-jdk-headless')."
need taskset "Install util-linux (it pins the 1-CPU variant)."

jdk25="${JDK25_HOME:-}"
if [ -z "$jdk25" ]; then
  for candidate in /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/jlink" ]; then
      jdk25="$candidate"
    fi
  done
fi
if [ -z "$jdk25" ] || [ ! -x "$jdk25/bin/jlink" ]; then
  die "no JDK 25 found: set JDK25_HOME to one (the images run a runtime jlinked from it), e.g. Temurin 25 in /usr/lib/jvm"
fi
export JDK25_HOME="$jdk25"

root="$(repo_root)"
if [ "$build" = 1 ]; then
  step "building the functions, their images and the driver offline (JDK25_HOME=$JDK25_HOME)"
  (cd "$root" && ./mvnw -B -q -o -DskipTests verify \
    -pl functions/minio-source,functions/resize,functions/status,functions/coldstart -am) >&2
fi

images=()
for function in resize status minio-source; do
  tar="functions/$function/target/jib-layout.tar"
  [ -f "$root/$tar" ] || die "$tar is missing: the image build did not run (it needs JDK25_HOME; see the README, cold start)"
  images+=(--image "$function=$tar")
done
jar="functions/resize/target/resize.jar"
[ -f "$root/$jar" ] || die "$jar is missing (run without --no-build)"
[ -d "$root/functions/coldstart/target/lib" ] || die "functions/coldstart/target/lib is missing (run without --no-build)"

args=(--runs "$runs" --port "$port" --work functions/coldstart/target/coldstart --baseline "java -jar $jar")
if [ -n "$variant" ]; then
  args+=(--variant "$variant")
fi
args+=("${jvm_args[@]}")
cd "$root"
exec java -Dthumbnails.root="$root" -cp "functions/coldstart/target/classes:functions/coldstart/target/lib/*" \
  io.github.knthumbnails.coldstart.ColdStart "${images[@]}" "${args[@]}"
