# shellcheck shell=bash
# Helpers shared by the scripts (sourced, not run): messages, prerequisite checks and --dry-run.

# The namespace everything runs in (the manifests' cluster-local URLs name it too), and the kind cluster's name.
# shellcheck disable=SC2034 # used by the scripts that source this file
NAMESPACE=thumbnails
CLUSTER_NAME="${CLUSTER_NAME:-thumbnails}"
DRY_RUN="${DRY_RUN:-0}"

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# need TOOL HINT: fails loudly when TOOL is not on PATH (skipped under --dry-run, which runs nothing).
need() {
  if [ "$DRY_RUN" = 1 ]; then
    return 0
  fi
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed or not on PATH. $2"
}

# run CMD...: prints the command, then runs it (only prints it under --dry-run).
run() {
  printf '    $ %s\n' "$*"
  if [ "$DRY_RUN" != 1 ]; then
    "$@"
  fi
}

# need_cluster: kubectl must reach a cluster with Knative Serving and Eventing installed.
need_cluster() {
  if [ "$DRY_RUN" = 1 ]; then
    return 0
  fi
  kubectl version >/dev/null 2>&1 || die "kubectl cannot reach a cluster (context: $(kubectl config current-context 2>/dev/null || echo none)). Run scripts/cluster-up.sh first."
  kubectl get crd services.serving.knative.dev brokers.eventing.knative.dev >/dev/null 2>&1 \
    || die "Knative Serving and Eventing are not installed in this cluster. Run scripts/cluster-up.sh first."
}

# repo_root: the checkout's root folder.
repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }

# jdk25_home: prints a JDK 25+ home (jlink included) for the image build: $JDK25_HOME when set, else the newest
# /usr/lib/jvm/*25* (Temurin's Debian package and the tarball layouts); fails with a hint when there is none.
jdk25_home() {
  local candidate
  for candidate in "${JDK25_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  die "no JDK 25 found: set JDK25_HOME to one (e.g. Temurin 25 from https://adoptium.net; the images run on it)"
}
