#!/usr/bin/env bash
# Deploys the pipeline to the current cluster (made by scripts/cluster-up.sh, or any cluster with Knative
# Serving + Eventing and the MT channel-based Broker), in order: container images, MinIO, Eventing, Knative
# Services. Waits for each with kubectl wait, then prints the status URL and how to reach MinIO.
# Usage: scripts/deploy.sh [--distributed] [--registry REGISTRY] [--func] [--skip-images] [--dry-run] [--help]
#   --distributed        four-node erasure-coded MinIO (minio/overlays/distributed) instead of one node
#   --registry REGISTRY  push images to REGISTRY (e.g. ghcr.io/me) instead of loading them into kind
#   --func               deploy the resize function with Knative's `func` CLI from kn-func.yaml
#   --skip-images        use the images already in the cluster/registry
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

overlay=standalone
registry=""
use_func=0
build_images=1
FUNCTIONS=(minio-source resize status)

while [ $# -gt 0 ]; do
  case "$1" in
    --distributed) overlay=distributed; shift ;;
    --registry) [ $# -ge 2 ] || die "--registry needs a value"; registry="$2"; shift 2 ;;
    --func) use_func=1; shift ;;
    --skip-images) build_images=0; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done

root="$(repo_root)"
cd "$root"
need kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"
need java "The images are built with Maven + Jib: install a JDK 17 (e.g. apt-get install openjdk-17-jdk-headless)."
if [ -z "$registry" ] && [ "$build_images" = 1 ]; then
  need kind "Without --registry the images are loaded into a kind cluster: https://kind.sigs.k8s.io/"
fi
if [ "$use_func" = 1 ]; then
  need func "Install Knative's func CLI: https://knative.dev/docs/functions/install-func/"
fi
need_cluster

image_registry="${registry:-kind.local}"

step "1/5 container images ($image_registry/thumbnails-<function>:0.1.0)"
if [ "$build_images" = 1 ]; then
  if [ ! -d functions/resize/target/turbojpeg-root ]; then
    info "no functions/resize/target/turbojpeg-root: the resize image gets no TurboJPEG (run scripts/fetch-turbojpeg.sh first for it)"
  fi
  # verify, not package: the AOT cache is trained on the built image after the package phase (root pom, profile aot).
  JDK25_HOME="$(jdk25_home)"
  export JDK25_HOME
  if [ -n "$registry" ]; then
    run ./mvnw -B -q -Pimages -DskipTests "-Dimage.registry=$registry" verify jib:build \
      -pl functions/minio-source,functions/resize,functions/status -am
  else
    run ./mvnw -B -q -Pimages -DskipTests verify -pl functions/minio-source,functions/resize,functions/status -am
    for f in "${FUNCTIONS[@]}"; do
      run kind load image-archive "functions/$f/target/jib-image.tar" --name "$CLUSTER_NAME"
    done
  fi
else
  info "skipped (--skip-images)"
fi

step "2/5 namespace $NAMESPACE and Secret thumbnails-credentials"
if [ "$DRY_RUN" = 1 ] || ! kubectl get namespace "$NAMESPACE" >/dev/null 2>&1; then
  run kubectl create namespace "$NAMESPACE"
fi
if [ "$DRY_RUN" != 1 ] && kubectl get secret thumbnails-credentials -n "$NAMESPACE" >/dev/null 2>&1; then
  info "Secret exists; kept (delete it and the MinIO PVCs to start over)"
  # A Secret from an older release lacks the per-function MinIO users' keys: add random values for every key of
  # minio/credentials.example.env it does not have yet (existing values are never changed).
  # shellcheck disable=SC2016 # a Go template, not shell
  existing="$(kubectl get secret thumbnails-credentials -n "$NAMESPACE" \
    -o go-template='{{range $k, $v := .data}}{{$k}}{{"\n"}}{{end}}')"
  while IFS='=' read -r key _; do
    case "$key" in ''|'#'*) continue ;; esac
    case $'\n'"$existing"$'\n' in
      *$'\n'"$key"$'\n'*) ;;
      *)
        info "adding the missing key $key (random value)"
        kubectl patch secret thumbnails-credentials -n "$NAMESPACE" --type merge \
          -p "{\"stringData\":{\"$key\":\"$(head -c 18 /dev/urandom | base64 | tr -d '/+=')\"}}" >/dev/null
        ;;
    esac
  done < minio/credentials.example.env
else
  args=()
  if [ -f minio/credentials.env ]; then
    info "values from minio/credentials.env"
    args=(--from-env-file=minio/credentials.env)
  else
    info "random values for the keys of minio/credentials.example.env"
    while IFS='=' read -r key _; do
      case "$key" in ''|'#'*) continue ;; esac
      args+=("--from-literal=$key=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' )")
    done < minio/credentials.example.env
  fi
  # The values never reach the terminal: run() would print them.
  if [ "$DRY_RUN" = 1 ]; then
    info "\$ kubectl create secret generic thumbnails-credentials -n $NAMESPACE <${#args[@]} keys>"
  else
    kubectl create secret generic thumbnails-credentials -n "$NAMESPACE" "${args[@]}" >/dev/null
  fi
fi

step "3/5 MinIO ($overlay) and its setup Job (buckets, per-function users, bucket notification)"
run kubectl delete job minio-setup -n "$NAMESPACE" --ignore-not-found
run kubectl apply -k "minio/overlays/$overlay"
run kubectl rollout status statefulset/minio -n "$NAMESPACE" --timeout=600s
run kubectl wait job/minio-setup -n "$NAMESPACE" --for=condition=Complete --timeout=600s

# The Broker and the Trigger only become Ready once their dead-letter sink, the status-dead-letter Service,
# resolves: they are applied here and waited for after step 5.
step "4/5 Eventing: Broker 'default' and the resize Trigger"
if [ "$use_func" = 1 ]; then
  run kubectl apply -n "$NAMESPACE" -f eventing/broker.yaml
else
  run kubectl apply -k eventing
fi

step "5/5 Knative Services and the SinkBinding"
rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
if [ "$DRY_RUN" != 1 ]; then
  kubectl kustomize knative | sed "s#image: kind.local/#image: $image_registry/#" > "$rendered"
fi
# The SinkBinding goes first: its webhook then sets K_SINK in minio-source's very first revision, which would
# otherwise start without it and crash-loop until the binding caught up.
run kubectl apply -n "$NAMESPACE" -f knative/sinkbinding.yaml
if [ "$use_func" = 1 ]; then
  run kubectl apply -n "$NAMESPACE" -f knative/minio-source.yaml -f knative/status.yaml \
    -f knative/status-dead-letter.yaml -f knative/network-policies.yaml
  run cp kn-func.yaml functions/resize/func.yaml
  run func deploy --path functions/resize --build=false --push=false --image "$image_registry/thumbnails-resize:0.1.0"
elif [ "$DRY_RUN" = 1 ]; then
  info "\$ kubectl kustomize knative | sed 's#image: kind.local/#image: $image_registry/#' | kubectl apply -f -"
else
  run kubectl apply -f "$rendered"
fi
run kubectl wait ksvc --all -n "$NAMESPACE" --for=condition=Ready --timeout=600s
run kubectl wait broker/default -n "$NAMESPACE" --for=condition=Ready --timeout=300s
run kubectl wait sinkbinding/minio-source -n "$NAMESPACE" --for=condition=Ready --timeout=300s
run kubectl wait trigger --all -n "$NAMESPACE" --for=condition=Ready --timeout=300s

step "deployed"
if [ "$DRY_RUN" = 1 ]; then
  status_url="http://status.$NAMESPACE.127.0.0.1.sslip.io"
else
  status_url="$(kubectl get ksvc status -n "$NAMESPACE" -o jsonpath='{.status.url}')"
fi
info "status function:  $status_url/jobs"
info "                  (no DNS for sslip.io? curl -H 'Host: ${status_url#http://}' http://127.0.0.1/jobs)"
info "MinIO API/console: kubectl port-forward -n $NAMESPACE svc/minio 9000:9000 9001:9001"
info "                  then S3 at http://127.0.0.1:9000, console at http://127.0.0.1:9001"
info "credentials:      kubectl get secret thumbnails-credentials -n $NAMESPACE -o jsonpath='{.data.root-user}' | base64 -d"
info "next:             scripts/smoke.sh"
