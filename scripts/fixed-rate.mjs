// A small fixed-rate load generator (wrk cannot hold a rate; wrk2 is not packaged in Debian):
// sends POST requests at RATE per second for SECONDS, each on a keep-alive connection pool,
// measures every latency from the scheduled send time (so a slow server cannot hide queueing:
// no coordinated omission), and prints one JSON line {sent, ok, errors, p50_ms, p99_ms, max_ms}.
//
//   node scripts/fixed-rate.mjs URL RATE SECONDS TOKEN [--key]
//
// With --key every request carries a fresh Idempotency-Key. Bounded: RATE × SECONDS requests,
// then a 10 s grace for the last answers.
import http from "node:http";
import { randomUUID } from "node:crypto";

const [url, rateArg, secondsArg, token, ...flags] = process.argv.slice(2);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
const withKey = flags.includes("--key");
const total = rate * seconds;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const target = new URL(url);
const body = JSON.stringify({
  id_cliente_servico: 11000,
  descricao: "Benchmark: sem internet",
  nome: "Maria",
  telefone: "37999112233",
});

const latencies = [];
let errors = 0;
let done = 0;

function send(scheduled) {
  const headers = {
    "Content-Type": "application/json",
    Accept: "application/json",
    Authorization: `Bearer ${token}`,
    "Content-Length": Buffer.byteLength(body),
  };
  if (withKey) headers["Idempotency-Key"] = randomUUID();
  const req = http.request(
    { agent, host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers },
    (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode === 200) latencies.push(performance.now() - scheduled);
        else errors += 1;
        done += 1;
      });
    },
  );
  req.on("error", () => {
    errors += 1;
    done += 1;
  });
  req.end(body);
}

const start = performance.now();
let sent = 0;
await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    while (sent < due) {
      send(start + (sent * 1000) / rate);
      sent += 1;
    }
    if (sent >= total) resolve();
    else setTimeout(tick, 1);
  };
  tick();
});
const graceEnd = performance.now() + 10_000;
while (done < total && performance.now() < graceEnd) await new Promise((r) => setTimeout(r, 5));
agent.destroy();

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : NaN);
console.log(
  JSON.stringify({
    sent,
    ok: latencies.length,
    errors,
    p50_ms: Number(pct(50).toFixed(3)),
    p99_ms: Number(pct(99).toFixed(3)),
    max_ms: Number((latencies.at(-1) ?? NaN).toFixed(3)),
  }),
);
