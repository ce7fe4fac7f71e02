#!/usr/bin/env bash
# Creates a local kind cluster with Knative Serving (Kourier ingress) and Eventing (multi-tenant channel-based
# Broker, in-memory channel). Idempotent: what is already there is left as it is and re-applied.
# Usage: scripts/cluster-up.sh [--name NAME] [--dry-run] [--help]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# Pinned releases (https://github.com/knative/{serving,eventing}/releases, knative-extensions/net-kourier).
KNATIVE_SERVING_VERSION="${KNATIVE_SERVING_VERSION:-1.22.1}"
KNATIVE_EVENTING_VERSION="${KNATIVE_EVENTING_VERSION:-1.22.1}"
KOURIER_VERSION="${KOURIER_VERSION:-1.22.0}"
KIND_NODE_IMAGE="${KIND_NODE_IMAGE:-kindest/node:v1.33.1}"
# Kourier is published on this host port; Knative routes are http://<svc>.<namespace>.127.0.0.1.sslip.io.
INGRESS_PORT="${INGRESS_PORT:-80}"

usage() {
  sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
  echo "Environment: KNATIVE_SERVING_VERSION=$KNATIVE_SERVING_VERSION KNATIVE_EVENTING_VERSION=$KNATIVE_EVENTING_VERSION"
  echo "             KOURIER_VERSION=$KOURIER_VERSION KIND_NODE_IMAGE=$KIND_NODE_IMAGE INGRESS_PORT=$INGRESS_PORT"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --name) [ $# -ge 2 ] || die "--name needs a value"; CLUSTER_NAME="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done

if [ -z "${KIND_EXPERIMENTAL_PROVIDER:-}" ]; then
  need docker "kind runs the cluster in Docker (for Podman set KIND_EXPERIMENTAL_PROVIDER=podman): https://docs.docker.com/engine/install/"
fi
need kind "Install kind 0.27 or newer: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
need kubectl "Install kubectl: https://kubernetes.io/docs/tasks/tools/"

serving="https://github.com/knative/serving/releases/download/knative-v${KNATIVE_SERVING_VERSION}"
eventing="https://github.com/knative/eventing/releases/download/knative-v${KNATIVE_EVENTING_VERSION}"
kourier="https://github.com/knative-extensions/net-kourier/releases/download/knative-v${KOURIER_VERSION}"

step "kind cluster '$CLUSTER_NAME' ($KIND_NODE_IMAGE, Kourier on host port $INGRESS_PORT)"
if [ "$DRY_RUN" != 1 ] && kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
  info "already exists; using it"
  run kubectl config use-context "kind-$CLUSTER_NAME"
else
  config="$(mktemp)"
  trap 'rm -f "$config"' EXIT
  cat > "$config" <<YAML
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
  - role: control-plane
    image: ${KIND_NODE_IMAGE}
    extraPortMappings:
      - containerPort: 31080
        hostPort: ${INGRESS_PORT}
        listenAddress: 127.0.0.1
YAML
  run kind create cluster --name "$CLUSTER_NAME" --config "$config" --wait 120s
fi

step "Knative Serving v$KNATIVE_SERVING_VERSION"
run kubectl apply -f "$serving/serving-crds.yaml"
run kubectl wait --for=condition=Established --timeout=120s crd/services.serving.knative.dev
run kubectl apply -f "$serving/serving-core.yaml"
# Serving's admission webhook validates its ConfigMaps (failurePolicy: Fail): patch them only once it runs,
# or a fresh cluster answers "failed calling webhook" (knative/serving#13665).
run kubectl wait deployment --all -n knative-serving --for=condition=Available --timeout=300s

step "Kourier v$KOURIER_VERSION as Knative's ingress, NodePort 31080; domain 127.0.0.1.sslip.io"
run kubectl apply -f "$kourier/kourier.yaml"
run kubectl patch configmap/config-network -n knative-serving --type merge \
  -p '{"data":{"ingress-class":"kourier.ingress.networking.knative.dev"}}'
run kubectl patch service/kourier -n kourier-system --type merge \
  -p '{"spec":{"type":"NodePort","ports":[{"name":"http2","port":80,"protocol":"TCP","targetPort":8080,"nodePort":31080}]}}'
run kubectl patch configmap/config-domain -n knative-serving --type merge -p '{"data":{"127.0.0.1.sslip.io":""}}'

step "Knative Eventing v$KNATIVE_EVENTING_VERSION with the in-memory channel and the MT channel-based Broker"
run kubectl apply -f "$eventing/eventing-crds.yaml"
run kubectl wait --for=condition=Established --timeout=120s crd/brokers.eventing.knative.dev
run kubectl apply -f "$eventing/eventing-core.yaml"
# The channel and broker manifests carry knative-eventing ConfigMaps, which eventing-webhook validates.
run kubectl wait deployment --all -n knative-eventing --for=condition=Available --timeout=300s
run kubectl apply -f "$eventing/in-memory-channel.yaml"
run kubectl apply -f "$eventing/mt-channel-broker.yaml"

step "waiting for Knative to be ready"
for ns in knative-serving kourier-system knative-eventing; do
  run kubectl wait deployment --all -n "$ns" --for=condition=Available --timeout=300s
done

step "done: the cluster is ready. Next: scripts/deploy.sh"
