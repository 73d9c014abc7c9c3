// End-to-end tests: the release build (dist/, from `trunk build --release`) served by the
// mock Hubsoft server, driven in Debian's Chromium. `npx playwright install` is never needed.
import { defineConfig } from "@playwright/test";

export const PORT = Number(process.env.E2E_PORT ?? 8797);
// The gateway (abrir-chamado-gateway --demo) in front of that mock, for tests/e2e/gateway.spec.mjs.
export const GATEWAY_PORT = Number(process.env.E2E_GATEWAY_PORT ?? 8798);

export default defineConfig({
  testDir: "tests/e2e",
  // One mock server with one request log: run tests one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    },
  },
  // The mock serves the release build plus the test host pages (tests/e2e/hosts) under /hosts/
  // and the framework apps (React 18/19, Vue 3, plain HTML; built with esbuild by
  // tests/e2e/frameworks/build.mjs, under a second) under /frameworks/, in a scratch folder so
  // dist/ stays what ships. The gateway sits in front of the
  // same mock (its Hubsoft), allows the mock's origin by CORS, and keeps its state in a fresh
  // folder under target/.
  webServer: [
    {
      command:
        `rm -rf target/e2e-site && cp -r dist target/e2e-site && cp -r tests/e2e/hosts target/e2e-site/hosts` +
        // The host pages are written for the default ports; the copies name the ports in use.
        ` && sed -i "s/:8797/:${PORT}/g; s/:8798/:${GATEWAY_PORT}/g" target/e2e-site/hosts/*.html` +
        ` && node tests/e2e/frameworks/build.mjs target/e2e-site/frameworks http://127.0.0.1:${PORT}` +
        ` && exec target/debug/mock-hubsoft --port ${PORT} --serve target/e2e-site`,
      url: `http://127.0.0.1:${PORT}/index.html`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command:
        `rm -rf target/e2e-gateway-data && exec env RUST_LOG=warn HUBSOFT_CLIENT_SECRET=demo-secret HUBSOFT_PASSWORD=demo-password` +
        ` target/debug/abrir-chamado-gateway --demo --listen 127.0.0.1:${GATEWAY_PORT}` +
        ` --hubsoft-url http://127.0.0.1:${PORT} --hubsoft-client-id 3 --hubsoft-username api@demo.isp` +
        ` --cors-origins http://127.0.0.1:${PORT} --rate-limit-per-hour 1000 --data-dir target/e2e-gateway-data`,
      url: `http://127.0.0.1:${GATEWAY_PORT}/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
  ],
});
