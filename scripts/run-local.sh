#!/usr/bin/env bash
# Runs the whole pipeline on this machine, in the foreground until Ctrl-C: an embedded S3 server on
# 127.0.0.1:9000 that sends MinIO-format webhook notifications, and the minio-source, resize and status
# functions wired as Knative wires them. Builds the jars first when they are missing or older than the sources.
# Configuration: environment variables, see the README's configuration table.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v java >/dev/null 2>&1; then
  echo "run-local.sh: no 'java' on PATH. Install a JDK 17 or newer (e.g. 'apt-get install openjdk-17-jdk-headless')." >&2
  exit 1
fi

jars=(functions/minio-source/target/minio-source.jar functions/resize/target/resize.jar
      functions/status/target/status.jar functions/local-stack/target/local-stack.jar)
goal=package
# On a JDK 25 or newer the build also makes each function's image with its trained AOT cache
# (functions/<function>/target/jib-layout.tar, root pom profile "aot", after the package phase), and the stack starts
# the functions from those images: each ready in ~1.5 s alone instead of ~7–9 s (README, "Cold start").
java_version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
if [ "${java_version%%.*}" -ge 25 ] 2>/dev/null; then
  JDK25_HOME="${JDK25_HOME:-$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')}"
  export JDK25_HOME
  goal=verify
  jars+=(functions/minio-source/target/jib-layout.tar functions/resize/target/jib-layout.tar
         functions/status/target/jib-layout.tar)
fi
rebuild=0
for jar in "${jars[@]}"; do
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml functions/*/pom.xml functions/*/src/main -newer "$jar" -print -quit)" ]; then
    rebuild=1
  fi
done
if [ "$rebuild" = 1 ]; then
  echo "Building the functions (missing or out of date; the first build downloads dependencies and takes a few minutes)..."
  ./mvnw -q -B -DskipTests "$goal"
  # Maven leaves the jar of an unchanged module as it was: mark all of them as built from today's sources.
  touch "${jars[@]}"
fi

exec java -Dthumbnails.functions="$root/functions" -jar functions/local-stack/target/local-stack.jar "$@"
