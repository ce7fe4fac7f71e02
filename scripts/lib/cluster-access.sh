# shellcheck shell=bash
# Reaching MinIO and the status function from this machine (sourced by smoke.sh and load-demo.sh).

# secret_value KEY: one value of the Secret thumbnails-credentials.
secret_value() {
  kubectl get secret thumbnails-credentials -n "$NAMESPACE" -o "jsonpath={.data.$1}" | base64 -d
}

# start_minio_port_forward: MinIO's S3 API on 127.0.0.1:9000 and an mc alias 'pipeline' for it, until exit.
start_minio_port_forward() {
  kubectl port-forward -n "$NAMESPACE" svc/minio 9000:9000 >/dev/null 2>&1 &
  PORT_FORWARD_PID=$!
  trap 'kill "$PORT_FORWARD_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 30); do
    if curl -fsS -o /dev/null http://127.0.0.1:9000/minio/health/live 2>/dev/null; then
      mc alias set pipeline http://127.0.0.1:9000 "$(secret_value root-user)" "$(secret_value root-password)" >/dev/null \
        || die "mc cannot log in to MinIO with the root credentials of Secret thumbnails-credentials"
      return 0
    fi
    sleep 1
  done
  die "MinIO is not reachable through 'kubectl port-forward svc/minio 9000' (is port 9000 taken? is MinIO running?)"
}

# status_get PATH: GET a path of the status function through Kourier on 127.0.0.1 (Host header = its route).
status_get() {
  local url host
  url="$(kubectl get ksvc status -n "$NAMESPACE" -o jsonpath='{.status.url}')"
  [ -n "$url" ] || die "the Knative Service 'status' has no URL yet: kubectl get ksvc -n $NAMESPACE"
  host="${url#http://}"
  curl -fsS -H "Host: $host" "http://127.0.0.1:${INGRESS_PORT:-80}$1"
}

# urlencode_path KEY: percent-encodes a key for a URL path, keeping '/'.
urlencode_path() {
  jq -rn --arg k "$1" '$k | @uri | gsub("%2F"; "/")'
}
