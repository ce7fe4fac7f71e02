#!/usr/bin/env bash
# Brings existing uploads up to the current RENDITIONS (issue 13): lists an upload bucket and sends, for every
# upload whose job is missing, failed for a reason that is not final (e.g. delivery_failed), stuck in processing,
# or made by another RENDITIONS, the S3 CloudEvent MinIO's notification would have become, to the pipeline's sink.
#
#   scripts/backfill.sh [--bucket B] [--prefix P] [--dry-run] [--rate N] [--sink URL] [--stuck-after D]
#                       [--renditions LIST] [--no-progress]        (--help says more)
#
# Reads the same environment as resize: MINIO_ENDPOINT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, UPLOAD_BUCKETS,
# THUMBNAILS_BUCKET, RENDITIONS; the sink is K_SINK, else the local stack's Broker (127.0.0.1:LOCAL_BROKER_PORT,
# 8083). Reads storage only. Builds the CLI first when it is missing or older than the sources.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$(repo_root)"
need java "Install a JDK 17 or newer (e.g. 'apt-get install openjdk-17-jdk-headless')."

jar=functions/backfill/target/backfill.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml functions/{events,storage,image,backfill}/pom.xml \
    functions/{events,storage,image,backfill}/src/main -newer "$jar" -print -quit)" ]; then
  echo "Building the backfill CLI (missing or out of date)..." >&2
  ./mvnw -q -B -DskipTests package -pl functions/backfill -am >&2
  # Maven leaves the jar of an unchanged module as it was: mark it as built from today's sources.
  touch "$jar"
fi

exec java -cp "$jar:functions/backfill/target/lib/*" \
  io.github.knthumbnails.backfill.BackfillMain "$@"
