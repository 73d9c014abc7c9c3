// End-to-end tests: the release build (dist/, from `trunk build --release`) served by the
// mock Hubsoft server, driven in Debian's Chromium. `npx playwright install` is never needed.
import { defineConfig } from "@playwright/test";

export const PORT = Number(process.env.E2E_PORT ?? 8797);

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
  // dist/ stays what ships.
  webServer: {
    command:
      `rm -rf target/e2e-site && cp -r dist target/e2e-site && cp -r tests/e2e/hosts target/e2e-site/hosts` +
      ` && node tests/e2e/frameworks/build.mjs target/e2e-site/frameworks http://127.0.0.1:${PORT}` +
      ` && exec target/debug/mock-hubsoft --port ${PORT} --serve target/e2e-site`,
    url: `http://127.0.0.1:${PORT}/index.html`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
