// Shared helpers of the end-to-end tests.
import { expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const TOKEN = "demo-token";

/**
 * For every test of the calling spec: resets the mock first, and fails the test when the page
 * threw an uncaught error (a second `customElements.define` would throw one, for instance).
 */
export function resetMockAndCatchPageErrors(test) {
  let pageErrors = [];
  test.beforeEach(async ({ page, request }) => {
    await resetMock(request);
    pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });
}

/** Clears the mock's queue and request log. */
export async function resetMock(request) {
  const r = await request.post("/__mock/reset");
  expect(r.ok()).toBeTruthy();
}

/** Queues responses (one object or an array) for the next POSTs to the atendimento route. */
export async function queue(request, entries) {
  const r = await request.post("/__mock/queue", { data: entries });
  expect(r.ok()).toBeTruthy();
}

/** Every request the mock received on its Hubsoft routes, in order. */
export async function received(request) {
  const r = await request.get("/__mock/requests");
  expect(r.ok()).toBeTruthy();
  return (await r.json()).filter((x) => x.path === "/api/v1/integracao/atendimento");
}

/**
 * Opens the built demo page and mounts a second widget into a fresh element #w with `options`
 * (endpoint and token default to the mock on this origin). Returns a locator scoped to it.
 */
export async function mountWidget(page, options = {}) {
  await page.goto("/");
  await page.waitForFunction(() => typeof window.wasmBindings?.mount === "function");
  await page.evaluate((opts) => {
    const el = document.createElement("div");
    el.id = "w";
    document.querySelector("main").prepend(el);
    window.handle = window.wasmBindings.mount(el, {
      endpoint: window.location.origin,
      token: "demo-token",
      ...opts,
    });
  }, options);
  return page.locator("#w");
}

/** Fills the form as a customer would. */
export async function fill(widget, values) {
  const labels = {
    servico: /serviço/i,
    nome: /nome/i,
    telefone: /telefone/i,
    email: /e-mail/i,
    descricao: /descrição/i,
  };
  for (const [key, value] of Object.entries(values)) {
    await widget.getByLabel(labels[key]).fill(value);
  }
}

export const submitButton = (widget) => widget.getByRole("button", { name: /abrir chamado/i });

/** The current value of every field of the widget (absent fields are undefined). */
export async function formValues(widget) {
  return widget.evaluate((host) => {
    const root = host.shadowRoot;
    const value = (name) => root.querySelector(`[name=${name}]`)?.value;
    return {
      servico: value("id_cliente_servico"),
      nome: value("nome"),
      telefone: value("telefone"),
      email: value("email"),
      descricao: value("descricao"),
    };
  });
}

/** The WCAG 2.x A/AA tags every axe check of the widget uses. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe-core on the widget mounted at `selector` (default `#w`, shadow tree included) and
 * returns its violations, reduced to rule id, help text and the targets of the failing nodes so
 * that a failing `expect(...).toEqual([])` prints something readable.
 */
export async function axeViolations(page, selector = "#w") {
  const results = await new AxeBuilder({ page }).include(selector).withTags(AXE_TAGS).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
  }));
}

/** The text a customer can see in the widget: its shadow tree's text, without any <style>. */
export async function shadowText(widget) {
  return widget.evaluate((host) => {
    const clone = document.createElement("div");
    for (const node of host.shadowRoot.childNodes) clone.appendChild(node.cloneNode(true));
    clone.querySelectorAll("style").forEach((s) => s.remove());
    return clone.textContent;
  });
}

/** A documented-shape success body with a 20-digit protocolo, for queued answers. */
export const SUCCESS = {
  status: "success",
  msg: "Atendimento aberto com sucesso.",
  atendimento: {
    id_atendimento: 4242,
    protocolo: "20250926160819577001",
    status: "Aguardando Análise",
    data_cadastro: "26/09/2025",
  },
};

/** Fails the test with axe-core's findings when the widget (#w) has any violation. */
export async function expectNoAxeViolations(page, selector = "#w") {
  const violations = await axeViolations(page, selector);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}

/** Whether a Playwright request is a POST to the atendimento route. */
const isTicketPost = (r) => r.method() === "POST" && r.url().endsWith("/api/v1/integracao/atendimento");

/**
 * Records every POST the page issues to the atendimento route as the browser sends it (the
 * `request` event, before any server sees it), with its `Idempotency-Key` header. Call before
 * the page acts; read `.length` and `[i].key` later.
 */
export function recordPosts(page) {
  const posts = [];
  page.on("request", (r) => {
    if (isTicketPost(r)) posts.push({ key: r.headers()["idempotency-key"] });
  });
  return posts;
}

/**
 * Installs Playwright's clock in the page (before it loads): time flows as usual, and
 * `runTimers` can run any span of it at once.
 */
export async function installClock(page) {
  await page.clock.install();
}

/**
 * Runs `ms` of the page's time at once (Playwright's clock, see `installClock`): every timer due
 * in that span (a draft debounce, a retry's backoff, a request's time limit) fires now, so a test
 * proves that something did not happen without a real wait.
 */
export async function runTimers(page, ms = 5000) {
  await page.clock.runFor(ms);
}

/** Waits until the page has rendered its next frame (everything the last event caused is drawn). */
export async function nextFrame(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
}
