// Issue 8: the demo chain in real Chromium: the portal page → abrir-chamado-gateway (--demo) →
// the mock Hubsoft. The page's tokenProvider asks the gateway's demo "portal backend" route for
// a portal token (cross-origin, through the gateway's CORS allow-list), and the widget's
// endpoint is the gateway.
import { test, expect } from "@playwright/test";
import { GATEWAY_PORT } from "../../playwright.config.mjs";
import { fill, queue, received, resetMock, submitButton } from "./helpers.mjs";

const GATEWAY = `http://127.0.0.1:${GATEWAY_PORT}`;

const CUSTOMER = {
  servico: "11000",
  nome: "Maria da Silva Souza",
  telefone: "(37) 99911-2233",
  descricao: "Sem internet desde ontem (via gateway).",
};

/** Opens the demo page and mounts a widget whose endpoint is the gateway. */
async function mountThroughGateway(page, extra = {}) {
  await page.goto("/");
  await page.waitForFunction(() => typeof window.wasmBindings?.mount === "function");
  await page.evaluate(({ gateway, extra }) => {
    const el = document.createElement("div");
    el.id = "w";
    document.querySelector("main").prepend(el);
    window.portalTokens = 0;
    window.handle = window.wasmBindings.mount(el, {
      endpoint: gateway,
      tokenProvider: async () => {
        window.portalTokens += 1;
        const r = await fetch(`${gateway}/demo/portal-token`, { method: "POST" });
        return (await r.json()).token;
      },
      ...extra,
    });
  }, { gateway: GATEWAY, extra });
  return page.locator("#w");
}

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});

test("a ticket filed through the gateway shows Hubsoft's protocolo", async ({ page, request }) => {
  const widget = await mountThroughGateway(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();

  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  const protocolo = (await widget.locator(".ac-protocolo-value").textContent()).trim();
  expect(protocolo).toMatch(/^\d{20}$/);
  expect(await page.evaluate(() => window.portalTokens)).toBeGreaterThanOrEqual(1);

  // Hubsoft got one normalised ticket, authenticated with the gateway's own Hubsoft token (from
  // the password grant), never with the portal token the browser held.
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].headers.authorization).toMatch(/^Bearer mock-access-/);
  expect(posts[0].json.telefone).toBe("37999112233");
});

test("a connection dropped after Hubsoft opened the ticket is reconciled: the widget shows it once", async ({ page, request }) => {
  await queue(request, { fault: "drop" });
  const widget = await mountThroughGateway(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();

  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  const protocolo = (await widget.locator(".ac-protocolo-value").textContent()).trim();
  const tickets = await (
    await request.get("/api/v1/integracao/cliente/atendimento?busca=id_cliente_servico&termo_busca=11000", {
      headers: { Authorization: "Bearer demo-token" },
    })
  ).json();
  expect(tickets.atendimentos).toHaveLength(1);
  expect(tickets.atendimentos[0].protocolo).toBe(protocolo);
  expect(await received(request)).toHaveLength(1);
});

test("a connection reset after the gateway opened the ticket: the widget's own retry shows the same protocolo, one ticket", async ({ page, request }) => {
  const widget = await mountThroughGateway(page, { idempotency_key: true });
  // The first POST really reaches the gateway, which opens the ticket; its answer is thrown away
  // and the widget sees a reset connection instead. Later requests pass untouched.
  const keys = [];
  let firstAnswer = null;
  await page.route(`${GATEWAY}/api/v1/integracao/atendimento`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    keys.push(route.request().headers()["idempotency-key"]);
    if (firstAnswer === null) {
      const response = await route.fetch();
      firstAnswer = await response.json();
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();

  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  const protocolo = (await widget.locator(".ac-protocolo-value").textContent()).trim();
  expect(firstAnswer.atendimento.protocolo).toBe(protocolo);
  // One intent, one key, two sends: the gateway answered the retry from its record.
  expect(keys.length).toBe(2);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}(\.[0-9a-f]{16})?$/);
  expect(keys[1]).toBe(keys[0]);
  expect(await received(request)).toHaveLength(1);
});

/** Two tabs of one browser (one localStorage): tab A types the draft, tab B opens once it is saved and shows it restored. */
async function twoTabs(page) {
  const a = await mountThroughGateway(page, { idempotency_key: true });
  await fill(a, CUSTOMER);
  await expect
    .poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("abrir-chamado:rascunho:")).length))
    .toBe(1);
  const tabB = await page.context().newPage();
  const b = await mountThroughGateway(tabB, { idempotency_key: true });
  await expect(b.getByText("Recuperamos o que você tinha escrito antes.")).toBeVisible();
  return { a, b, tabB };
}

/** Sends the form of `widget` and returns the protocolo it shows. */
async function send(widget) {
  await submitButton(widget).click();
  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  return (await widget.locator(".ac-protocolo-value").textContent()).trim();
}

for (const first of ["a", "b"]) {
  test(`one draft in two tabs, sent from both (${first === "a" ? "the typing tab" : "the restoring tab"} first), opens one ticket`, async ({ page, request }) => {
    const tabs = await twoTabs(page);
    const [one, two] = first === "a" ? [tabs.a, tabs.b] : [tabs.b, tabs.a];
    const protocolo = await send(one);
    // The draft is gone, and the other tab still shows it: its send of the same form carries
    // the same key, and the gateway answers with the ticket already opened.
    expect(await send(two)).toBe(protocolo);
    expect(await received(request)).toHaveLength(1);
    await tabs.tabB.close();
  });
}

test("a ticket typed alike after one was opened is a new ticket, from either tab", async ({ page, request }) => {
  const { a, b, tabB } = await twoTabs(page);
  const protocolo = await send(a);
  expect(await send(b)).toBe(protocolo);
  // "Abrir outro chamado" in A and the same text again: a new intent, a new ticket.
  await a.getByRole("button", { name: "Abrir outro chamado" }).click();
  await fill(a, CUSTOMER);
  const second = await send(a);
  expect(second).not.toBe(protocolo);
  // A reload of B and the same text typed there: new again.
  await tabB.reload();
  const b2 = await mountThroughGateway(tabB, { idempotency_key: true });
  await fill(b2, CUSTOMER);
  const third = await send(b2);
  expect([protocolo, second]).not.toContain(third);
  expect(await received(request)).toHaveLength(3);
  await tabB.close();
});

test("a form emptied after its draft was sent elsewhere, and typed alike, is a new ticket", async ({ page, request }) => {
  const { a, b, tabB } = await twoTabs(page);
  const protocolo = await send(a);
  // B still shows the sent draft; its customer empties the form and types the same again.
  await fill(b, Object.fromEntries(Object.keys(CUSTOMER).map((k) => [k, ""])));
  await fill(b, CUSTOMER);
  expect(await send(b)).not.toBe(protocolo);
  expect(await received(request)).toHaveLength(2);
  await tabB.close();
});

test("an intent id in storage that the widget did not write is not used", async ({ page, request }) => {
  const a = await mountThroughGateway(page, { idempotency_key: true });
  await fill(a, CUSTOMER);
  const intentKey = () => page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith("abrir-chamado:intencao:")));
  await expect.poll(intentKey).toBeTruthy();
  // Another script of the page writes something else there (a header could not carry it).
  await page.evaluate((k) => localStorage.setItem(k, "bad\nid"), await intentKey());
  const tabB = await page.context().newPage();
  const keys = [];
  tabB.on("request", (r) => r.method() === "POST" && r.url().endsWith("/atendimento") && keys.push(r.headers()["idempotency-key"]));
  const b = await mountThroughGateway(tabB, { idempotency_key: true });
  await expect(b.getByText("Recuperamos o que você tinha escrito antes.")).toBeVisible();
  await send(b);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}(\.[0-9a-f]{16})?$/);
  expect(await received(request)).toHaveLength(1);
  await tabB.close();
});

test("the browser may send Idempotency-Key cross-origin: a repeat gets the same protocolo", async ({ page, request }) => {
  await page.goto("/");
  const answers = await page.evaluate(async (gateway) => {
    const { token } = await (await fetch(`${gateway}/demo/portal-token`, { method: "POST" })).json();
    const send = () =>
      fetch(`${gateway}/api/v1/integracao/atendimento`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          Accept: "application/json",
          "Idempotency-Key": "e2e-fixed-key",
        },
        body: JSON.stringify({
          id_cliente_servico: 11001,
          descricao: "Internet lenta à noite",
          nome: "Maria",
          telefone: "37999112233",
        }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const first = await send();
    const [a, b] = await Promise.all([send(), send()]);
    return [first, a, b];
  }, GATEWAY);
  for (const a of answers) {
    expect(a.status).toBe(200);
    expect(a.body.atendimento.protocolo).toBe(answers[0].body.atendimento.protocolo);
  }
  expect(await received(request)).toHaveLength(1);
});

// Chromium resends a POST by itself when a reused keep-alive connection is closed before any
// response byte. A reverse proxy in front of the gateway (like the portal's own, on the page's
// origin) lets the first ticket POST on a reused connection reach the gateway, waits for the
// gateway's answer (the ticket is open), then closes the browser's connection without answering.
// With an Idempotency-Key, Chromium's silent resend gets the first answer again: one ticket.
async function droppingProxy() {
  const { default: http } = await import("node:http");
  const target = new URL(GATEWAY);
  const served = new WeakMap();
  const stats = { posts: 0, dropped: 0 };
  const page = `<!doctype html><meta charset="utf-8"><title>portal</title><p>portal</p>`;
  const server = http.createServer((req, res) => {
    const count = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, count);
    if (req.url === "/") {
      res.writeHead(200, { "Content-Type": "text/html" }).end(page);
      return;
    }
    const isPost = req.method === "POST" && req.url === "/api/v1/integracao/atendimento";
    if (isPost) stats.posts += 1;
    const drop = isPost && count > 1 && stats.dropped === 0;
    const headers = { ...req.headers, host: target.host };
    delete headers.origin; // same-origin for the browser; the proxy is the portal's own
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (up) => {
        const chunks = [];
        up.on("data", (c) => chunks.push(c));
        up.on("end", () => {
          if (drop) {
            stats.dropped += 1;
            req.socket.destroy();
            return;
          }
          res.writeHead(up.statusCode, up.headers).end(Buffer.concat(chunks));
        });
      },
    );
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, stats, close: () => server.close() };
}

for (const withKey of [true, false]) {
  test(`Chromium's own resend after a reset ${withKey ? "opens no second ticket with" : "opens a second ticket without"} an Idempotency-Key`, async ({ page, request }) => {
    const proxy = await droppingProxy();
    try {
      await page.goto(proxy.url + "/");
      const answer = await page.evaluate(async (withKey) => {
        // The token request and this GET put a keep-alive connection in Chromium's pool.
        const { token } = await (await fetch("/demo/portal-token", { method: "POST" })).json();
        await (await fetch("/healthz")).text();
        const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
        if (withKey) headers["Idempotency-Key"] = crypto.randomUUID();
        const r = await fetch("/api/v1/integracao/atendimento", {
          method: "POST",
          headers,
          body: JSON.stringify({ id_cliente_servico: 11000, descricao: "Caiu a conexão", nome: "Maria", telefone: "37999112233" }),
        });
        return { status: r.status, body: await r.json() };
      }, withKey);
      expect(proxy.stats.dropped).toBe(1);
      // The browser sent the POST twice (its automatic resend), and still got an answer.
      expect(proxy.stats.posts).toBe(2);
      expect(answer.status).toBe(200);
      const tickets = await (
        await request.get("/api/v1/integracao/cliente/atendimento?busca=id_cliente_servico&termo_busca=11000", {
          headers: { Authorization: "Bearer demo-token" },
        })
      ).json();
      if (withKey) {
        expect(tickets.atendimentos).toHaveLength(1);
        expect(answer.body.atendimento.protocolo).toBe(tickets.atendimentos[0].protocolo);
      } else {
        // The hazard the key removes: the resend opened a duplicate.
        expect(tickets.atendimentos).toHaveLength(2);
      }
    } finally {
      proxy.close();
    }
  });
}
