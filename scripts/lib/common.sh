# shellcheck shell=bash
# Helpers shared by the cluster scripts (sourced, not run): messages, prerequisite checks and --dry-run.

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
