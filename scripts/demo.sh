#!/usr/bin/env bash
# Starts the demo: the mock Hubsoft server on 127.0.0.1:8787 and `trunk serve` on
# http://127.0.0.1:8080 (the sample customer-portal page; Trunk proxies /api/ and /oauth/ to the
# mock). Installs whatever is missing first. Ctrl-C stops both.
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

cargo build -p mock-hubsoft
if curl -fsS -o /dev/null -X POST http://127.0.0.1:8787/__mock/reset 2>/dev/null; then
  echo "demo: a mock-hubsoft is already listening on 127.0.0.1:8787; using it"
else
  target/debug/mock-hubsoft --port 8787 &
  MOCK_PID=$!
  trap 'kill $MOCK_PID 2>/dev/null || true' EXIT INT TERM
fi
echo "demo: open http://127.0.0.1:8080 (the widget files tickets with the mock's demo token)"
trunk serve
