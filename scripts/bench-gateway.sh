#!/usr/bin/env bash
# Gateway benchmark on loopback (prints figures; not a test). Builds the servers with the
# `server` profile, starts the mock Hubsoft, a redis-server, and two gateways (embedded store,
# Redis), then prints in one run:
#   1. throughput and p50/p99 with wrk (BENCH_SECONDS each, BENCH_CONNECTIONS connections):
#      straight to the mock; through the gateway with the embedded store (without and with a
#      fresh Idempotency-Key per request); through the gateway with Redis (with keys);
#   2. the latency the gateway adds at a fixed 500 requests/s (scripts/fixed-rate.mjs: wrk
#      cannot hold a rate), mock alone vs through the gateway;
#   3. each gateway's peak resident memory (VmHWM).
# Bounded: about 6 × BENCH_SECONDS + 2 × 10 s. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
SECS="${BENCH_SECONDS:-10}"
CONNS="${BENCH_CONNECTIONS:-32}"
RATE="${BENCH_RATE:-500}"
command -v wrk >/dev/null || { echo "bench: wrk is missing (scripts/setup.sh installs it)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "bench: redis-server is missing (scripts/setup.sh installs it)" >&2; exit 1; }

cargo build --quiet --profile server -p mock-hubsoft -p abrir-chamado-gateway
BIN="$ROOT/target/server"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_http() { for _ in $(seq 1 200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done; echo "bench: $1 did not answer" >&2; exit 1; }

MOCK_PORT=$(free_port); REDIS_PORT=$(free_port); GW1_PORT=$(free_port); GW2_PORT=$(free_port)
"$BIN/mock-hubsoft" --port "$MOCK_PORT" >/dev/null 2>&1 & PIDS+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 & PIDS+=($!)
MOCK="http://127.0.0.1:$MOCK_PORT"
wait_http "$MOCK/__mock/queue"

export HUBSOFT_CLIENT_SECRET=demo-secret HUBSOFT_PASSWORD=demo-password
export PORTAL_JWT_HS256_SECRET="bench-portal-secret-0123456789-abcdefgh"
COMMON=(--hubsoft-url "$MOCK" --hubsoft-client-id 3 --hubsoft-username api@demo.isp
        --rate-limit-per-hour 100000000 --auth-failures-per-minute 100000000)
RUST_LOG=warn "$BIN/abrir-chamado-gateway" "${COMMON[@]}" --listen "127.0.0.1:$GW1_PORT" \
  --data-dir "$WORK/data" >/dev/null 2>"$WORK/gw1.log" & GW1=$!; PIDS+=($GW1)
RUST_LOG=warn "$BIN/abrir-chamado-gateway" "${COMMON[@]}" --listen "127.0.0.1:$GW2_PORT" \
  --redis-url "redis://127.0.0.1:$REDIS_PORT/" >/dev/null 2>"$WORK/gw2.log" & GW2=$!; PIDS+=($GW2)
wait_http "http://127.0.0.1:$GW1_PORT/readyz"
wait_http "http://127.0.0.1:$GW2_PORT/readyz"
TOKEN=$("$BIN/abrir-chamado-gateway" mint-token --sub bench --servicos 11000 --ttl-secs 3600)

BODY='{"id_cliente_servico":11000,"descricao":"Benchmark: sem internet","nome":"Maria","telefone":"37999112233"}'
cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
LUA
cat > "$WORK/post-key.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
local n = 0
local tid = tostring(math.random(1, 1e9))
request = function()
  n = n + 1
  wrk.headers["Idempotency-Key"] = "bench-" .. tid .. "-" .. n
  return wrk.format()
end
LUA

PATH_A="/api/v1/integracao/atendimento"
run_wrk() { # name url token script
  curl -fsS -o /dev/null -X POST "$MOCK/__mock/reset"
  local out
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s "$4" -H "Authorization: Bearer $3" "$2$PATH_A")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out"); non2xx=${non2xx:-0}
  printf '%-44s %10s req/s   p50 %9s   p99 %9s   non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "$non2xx"
}

echo "== throughput (wrk, ${SECS}s each, $CONNS connections, 2 threads; $(nproc) cores shared with the servers)"
run_wrk "mock Hubsoft directly" "$MOCK" demo-token "$WORK/post.lua"
run_wrk "gateway, embedded store, no key" "http://127.0.0.1:$GW1_PORT" "$TOKEN" "$WORK/post.lua"
run_wrk "gateway, embedded store, Idempotency-Key" "http://127.0.0.1:$GW1_PORT" "$TOKEN" "$WORK/post-key.lua"
run_wrk "gateway, Redis, no key" "http://127.0.0.1:$GW2_PORT" "$TOKEN" "$WORK/post.lua"
run_wrk "gateway, Redis, Idempotency-Key" "http://127.0.0.1:$GW2_PORT" "$TOKEN" "$WORK/post-key.lua"

echo
echo "== latency at a fixed $RATE requests/s for 10 s (scripts/fixed-rate.mjs, from the scheduled send time)"
curl -fsS -o /dev/null -X POST "$MOCK/__mock/reset"
M=$(node scripts/fixed-rate.mjs "$MOCK$PATH_A" "$RATE" 10 demo-token)
curl -fsS -o /dev/null -X POST "$MOCK/__mock/reset"
G=$(node scripts/fixed-rate.mjs "http://127.0.0.1:$GW1_PORT$PATH_A" "$RATE" 10 "$TOKEN" --key)
curl -fsS -o /dev/null -X POST "$MOCK/__mock/reset"
R=$(node scripts/fixed-rate.mjs "http://127.0.0.1:$GW2_PORT$PATH_A" "$RATE" 10 "$TOKEN" --key)
echo "mock directly:                      $M"
echo "gateway (embedded, key):            $G"
echo "gateway (Redis, key):               $R"
node -e '
const [m, g, r] = process.argv.slice(1).map(JSON.parse);
const f = (x) => x.toFixed(3);
console.log(`added p99: embedded ${f(g.p99_ms - m.p99_ms)} ms, Redis ${f(r.p99_ms - m.p99_ms)} ms (target < 2 ms); added p50: embedded ${f(g.p50_ms - m.p50_ms)} ms, Redis ${f(r.p50_ms - m.p50_ms)} ms`);
' "$M" "$G" "$R"

echo
echo "== peak resident memory (VmHWM)"
echo "gateway, embedded store: $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$GW1/status)"
echo "gateway, Redis:          $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$GW2/status)"
