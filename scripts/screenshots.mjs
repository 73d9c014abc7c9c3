// Takes the README's screenshots from the real release build: `trunk build --release` into
// dist/, served by the mock Hubsoft (`cargo build -p mock-hubsoft`), in Debian's Chromium.
// Writes docs/screenshots/{form,validation-error,server-error,confirmation,dark,modal}.png.
//   node scripts/screenshots.mjs
// Each picture is the demo portal's ticket card (or, for the modal, the whole viewport) in a
// fresh browser context, so no draft or earlier state leaks from one picture into the next.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "docs", "screenshots");
const port = Number(process.env.SCREENSHOTS_PORT ?? 8799);
const base = `http://127.0.0.1:${port}`;

/** Starts the mock serving dist/ and resolves once it prints its "listening" line. */
function startMock() {
  const mock = spawn(
    join(root, "target", "debug", "mock-hubsoft"),
    ["--port", String(port), "--serve", join(root, "dist")],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("mock-hubsoft did not start in 30 s")), 30_000);
    mock.on("error", reject);
    mock.on("exit", (code) => reject(new Error(`mock-hubsoft exited (${code})`)));
    createInterface({ input: mock.stdout }).on("line", (line) => {
      if (line.startsWith("mock-hubsoft listening on")) {
        clearTimeout(timer);
        resolve(mock);
      }
    });
  });
}

const mock = await startMock();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
});
mkdirSync(out, { recursive: true });

/** A fresh page on the demo portal, its widget rendered; `colorScheme` "light" or "dark". */
async function portal(colorScheme = "light") {
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    deviceScaleFactor: 1,
    colorScheme,
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  await fetch(`${base}/__mock/reset`, { method: "POST" });
  await page.goto(`${base}/index.html`);
  const widget = page.locator("#abrir-chamado");
  await widget.getByRole("button", { name: /abrir chamado/i }).waitFor();
  const card = page.locator(".cartao-chamado");
  return { context, page, widget, card };
}

/** Fills what the demo does not prefill: the description and, when offered, a ticket type. */
async function fillTicket(widget) {
  await widget.getByLabel(/descrição/i).fill("Sem internet desde ontem à noite. A luz do roteador está vermelha.");
  const group = widget.getByRole("group", { name: /tipo/i });
  if (await group.count()) await group.getByRole("radio").first().check();
}

const submit = (widget) => widget.getByRole("button", { name: /abrir chamado/i }).click();
const shot = async (locator, name) => {
  await locator.screenshot({ path: join(out, `${name}.png`), animations: "disabled" });
  console.log(`screenshots: docs/screenshots/${name}.png`);
};

try {
  {
    const { context, card } = await portal();
    await shot(card, "form");
    await context.close();
  }
  {
    const { context, widget, card } = await portal();
    await submit(widget);
    await widget.locator("[aria-invalid=true]").first().waitFor();
    await shot(card, "validation-error");
    await context.close();
  }
  {
    const { context, widget, card } = await portal();
    await fillTicket(widget);
    await fetch(`${base}/__mock/queue`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        status: 503,
        content_type: "text/html",
        body: "<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>",
      }),
    });
    await submit(widget);
    await widget.locator('[part~="error"]').first().waitFor();
    await shot(card, "server-error");
    await context.close();
  }
  {
    const { context, widget, card } = await portal();
    await fillTicket(widget);
    await submit(widget);
    await widget.getByRole("heading", { name: /chamado aberto/i }).waitFor();
    await shot(card, "confirmation");
    await context.close();
  }
  {
    const { context, card } = await portal("dark");
    await shot(card, "dark");
    await context.close();
  }
  {
    const { context, page } = await portal();
    await page.setViewportSize({ width: 420, height: 820 });
    await page.evaluate(() => {
      const el = document.createElement("div");
      el.id = "modal-demo";
      document.querySelector("main").prepend(el);
      window.wasmBindings.mount(el, {
        endpoint: window.location.origin,
        token: "demo-token",
        nome: "Maria da Silva Souza",
        telefone: "37999112233",
        id_cliente_servico: 11000,
        mode: "modal",
      });
    });
    await page.locator("#modal-demo").getByRole("button", { name: /abrir um chamado/i }).click();
    await page.locator("#modal-demo").getByRole("dialog").waitFor();
    await page.screenshot({ path: join(out, "modal.png"), animations: "disabled" });
    console.log("screenshots: docs/screenshots/modal.png");
    await context.close();
  }
} finally {
  await browser.close();
  mock.kill();
}
