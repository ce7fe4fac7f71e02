#!/usr/bin/env bash
# Removes the pipeline: the namespace with every Knative Service, Trigger, Broker, MinIO and its volumes
# (all uploaded images and thumbnails are deleted). With --cluster, deletes the whole kind cluster instead.
# Usage: scripts/teardown.sh [--cluster] [--yes] [--dry-run] [--help]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

whole_cluster=0
yes=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cluster) whole_cluster=1; shift ;;
    --yes) yes=1; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done

if [ "$whole_cluster" = 1 ]; then
  need kind "Install kind: https://kind.sigs.k8s.io/"
  what="the kind cluster '$CLUSTER_NAME'"
else
  need kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"
  what="namespace '$NAMESPACE' with MinIO's volumes (every upload and thumbnail)"
fi
if [ "$yes" != 1 ] && [ "$DRY_RUN" != 1 ]; then
  [ -t 0 ] || die "refusing to delete $what without --yes (no terminal to ask on)"
  read -r -p "Delete $what? [y/N] " answer
  case "$answer" in y|Y|yes) ;; *) die "nothing deleted" ;; esac
fi

if [ "$whole_cluster" = 1 ]; then
  step "deleting $what"
  run kind delete cluster --name "$CLUSTER_NAME"
else
  step "deleting $what"
  run kubectl delete namespace "$NAMESPACE" --ignore-not-found --wait=true --timeout=300s
fi
step "done"
