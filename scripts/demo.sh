#!/usr/bin/env bash
# Starts the demo chain: the mock Hubsoft on 127.0.0.1:8787, the gateway (abrir-chamado-gateway
# --demo) on 127.0.0.1:8790 in front of it, and `trunk serve` on http://127.0.0.1:8080 (the sample
# customer-portal page; Trunk proxies /api/ and /demo/ to the gateway, so the page talks to it on
# its own origin). The page's tokenProvider asks the gateway's demo "portal backend" route
# (/demo/portal-token) for a portal token. Installs whatever is missing first. Ctrl-C stops all.
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

cargo build -p mock-hubsoft -p abrir-chamado-gateway
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if curl -fsS -o /dev/null -X POST http://127.0.0.1:8787/__mock/reset 2>/dev/null; then
  echo "demo: a mock-hubsoft is already listening on 127.0.0.1:8787; using it"
else
  target/debug/mock-hubsoft --port 8787 &
  PIDS+=($!)
fi

if curl -fsS -o /dev/null http://127.0.0.1:8790/healthz 2>/dev/null; then
  echo "demo: a gateway is already listening on 127.0.0.1:8790; using it"
else
  # The demo's state lives in target/ (a fresh folder per run); the mock's demo credentials are
  # the gateway's Hubsoft credentials; the HS256 portal secret is random per run (--demo).
  DATA="$ROOT/target/demo-gateway-data"
  rm -rf "$DATA"
  HUBSOFT_CLIENT_SECRET=demo-secret HUBSOFT_PASSWORD=demo-password \
    target/debug/abrir-chamado-gateway --demo --log-format text \
    --listen 127.0.0.1:8790 --hubsoft-url http://127.0.0.1:8787 \
    --hubsoft-client-id 3 --hubsoft-username api@demo.isp \
    --cors-origins http://127.0.0.1:8080,http://localhost:8080 \
    --rate-limit-per-hour 30 --allowed-tipos 109,110,111 --data-dir "$DATA" &
  PIDS+=($!)
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null http://127.0.0.1:8790/healthz 2>/dev/null && break
    sleep 0.1
  done
fi
echo "demo: open http://127.0.0.1:8080 (page → gateway :8790 → mock Hubsoft :8787)"
trunk serve
