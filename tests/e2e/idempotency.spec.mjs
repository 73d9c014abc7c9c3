// Issue 8, widget side: "exactly one ticket per intent". With the host's `idempotency_key` option
// (attribute `idempotency-key`) on, every submit intent carries a fresh `Idempotency-Key` header
// (from a random UUID), a resend the customer confirms after an uncertain failure carries the same key,
// and a network failure or timeout is retried by the widget itself (at most twice, same key,
// within the time limit). Off (the default): no header, exactly one POST per submit. The release
// build (dist/) served by the mock Hubsoft server, driven in Chromium; `page.route` breaks the
// connection where the mock cannot.
import { test, expect } from "@playwright/test";
import {
  expectNoAxeViolations,
  fill,
  formValues,
  installClock,
  mountWidget,
  queue,
  received,
  recordPosts,
  resetMock,
  runTimers,
  shadowText,
  submitButton,
} from "./helpers.mjs";

const CUSTOMER = {
  servico: "11000",
  nome: "Maria da Silva",
  telefone: "(37) 99911-2233",
  descricao: "Sem internet desde ontem à noite.",
};
// A key: a random version 4 UUID (the draft's intent id, or the key itself when there is no
// draft yet), then, for a draft's intent, "." and the request body's 64-bit hash in hex.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}(\.[0-9a-f]{16})?$/;
const ROUTE = "**/api/v1/integracao/atendimento";
const heading = (widget) => widget.getByRole("heading", { name: "Chamado aberto!" });
const protocoloValue = (widget) => widget.locator(".ac-protocolo-value");
const keyOf = (post) => post.headers["idempotency-key"];
/** The duplicate warning shown without a key, and the reassurance shown with one. */
const WARNING = "confira com o provedor";
const SAFE = "Pode enviar de novo com segurança";

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});

test("off by default: no Idempotency-Key header", async ({ page, request }) => {
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].headers).not.toHaveProperty("idempotency-key");
});

test("on: a key from a random UUID, and a new one for each new ticket", async ({ page, request }) => {
  const widget = await mountWidget(page, { idempotency_key: true });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
  await widget.getByRole("button", { name: "Abrir outro chamado" }).click();
  await fill(widget, { descricao: "Outro problema: telefone mudo." });
  await submitButton(widget).click();
  await expect(heading(widget)).toBeVisible();
  const posts = await received(request);
  expect(posts).toHaveLength(2);
  expect(keyOf(posts[0])).toMatch(UUID);
  expect(keyOf(posts[1])).toMatch(UUID);
  expect(keyOf(posts[1])).not.toBe(keyOf(posts[0]));
});

test("the idempotency-key attribute: present, empty or \"true\" turns it on; \"false\" or absent leaves it off", async ({ page, request }) => {
  await page.goto("/hosts/element.html");
  await page.waitForFunction(() => customElements.get("abrir-chamado") !== undefined);
  const cases = [
    { id: "bare", attr: "", on: true },
    { id: "true", attr: "true", on: true },
    { id: "false", attr: "false", on: false },
    { id: "absent", attr: null, on: false },
  ];
  for (const c of cases) {
    await resetMock(request);
    await page.evaluate(({ id, attr }) => {
      const el = document.createElement("abrir-chamado");
      el.id = id;
      el.setAttribute("endpoint", window.location.origin);
      el.setAttribute("id-cliente-servico", "11000");
      if (attr !== null) el.setAttribute("idempotency-key", attr);
      el.token = "demo-token";
      document.getElementById("host").append(el);
    }, c);
    const widget = page.locator(`#${c.id}`);
    await fill(widget, { nome: CUSTOMER.nome, telefone: CUSTOMER.telefone, descricao: CUSTOMER.descricao });
    await submitButton(widget).click();
    await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
    const posts = await received(request);
    expect(posts, c.id).toHaveLength(1);
    if (c.on) expect(keyOf(posts[0]), c.id).toMatch(UUID);
    else expect(posts[0].headers, c.id).not.toHaveProperty("idempotency-key");
  }
});

for (const status of [500, 502, 504]) {
  test(`on: the confirmed resend after a ${status} carries the same key, and the texts say it is safe`, async ({ page, request }) => {
    await queue(request, { status, content_type: "text/html", body: `<html><body><h1>${status}</h1></body></html>` });
    const widget = await mountWidget(page, { idempotency_key: true });
    await fill(widget, CUSTOMER);
    const before = await formValues(widget);
    await submitButton(widget).click();
    const alert = widget.getByRole("alert");
    await expect(alert).toContainText(SAFE);
    expect(await shadowText(widget)).not.toContain(WARNING);
    expect(await formValues(widget)).toEqual(before);

    await submitButton(widget).click();
    const question = widget.getByRole("group", { name: /não será duplicado/ });
    await expect(question).toBeVisible();
    await expect(widget.getByRole("button", { name: "Agora não" })).toBeVisible();
    await expectNoAxeViolations(page);
    await widget.getByRole("button", { name: "Sim, enviar de novo" }).click();
    await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);

    const posts = await received(request);
    expect(posts).toHaveLength(2);
    expect(keyOf(posts[0])).toMatch(UUID);
    expect(keyOf(posts[1])).toBe(keyOf(posts[0]));
    expect(posts[1].json).toEqual(posts[0].json);
  });
}

test("on: an answer that did nothing (522) keeps the key for the same body; a refusal of the body (422) gives the next intent a new one", async ({ page, request }) => {
  await queue(request, [
    { status: 522, content_type: "text/html", body: "<html>Connection timed out</html>" },
    { status: 200, body: { status: "error", msg: "Não foi possível abrir o atendimento.", errors: [] } },
  ]);
  const widget = await mountWidget(page, { idempotency_key: true });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(widget.getByRole("alert")).toContainText("erro 522");
  // Whatever the answer, the same body keeps its key: a repeat can never open a second ticket.
  await submitButton(widget).click();
  await expect(widget.getByRole("alert")).toContainText("Não foi possível abrir o atendimento");
  await submitButton(widget).click();
  await expect(heading(widget)).toBeVisible();
  const posts = await received(request);
  expect(posts).toHaveLength(3);
  expect(keyOf(posts[0])).toMatch(UUID);
  expect(keyOf(posts[1])).toBe(keyOf(posts[0]));
  expect(keyOf(posts[2])).toMatch(UUID);
  expect(keyOf(posts[2])).not.toBe(keyOf(posts[1]));
});

for (const reason of ["connectionreset", "timedout"]) {
  test(`on: a POST lost to "${reason}" is retried by the widget with the same key, and the protocolo is shown`, async ({ page, request }) => {
    const seen = [];
    await page.route(ROUTE, (route) => {
      seen.push(route.request().headers()["idempotency-key"]);
      return seen.length === 1 ? route.abort(reason) : route.continue();
    });
    const widget = await mountWidget(page, { idempotency_key: true });
    await fill(widget, CUSTOMER);
    await submitButton(widget).click();
    await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(UUID);
    expect(seen[1]).toBe(seen[0]);
    const posts = await received(request);
    expect(posts).toHaveLength(1);
    expect(keyOf(posts[0])).toBe(seen[0]);
  });
}

test("on: the time limit is shared by the attempts, so a slow first answer is retried in time with the same key", async ({ page, request }) => {
  // 3 s limit: the first attempt may take a third of it; the mock holds it for 5 s.
  await queue(request, { delay_ms: 5000, body: { status: "error", msg: "não deveria chegar" } });
  const widget = await mountWidget(page, { idempotency_key: true, timeout_ms: 3000 });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(2);
  expect(keyOf(posts[0])).toMatch(UUID);
  expect(keyOf(posts[1])).toBe(keyOf(posts[0]));
});

test("on: at most 2 retries, then a clear Portuguese error that keeps what was typed", async ({ page, request }) => {
  await installClock(page);
  const seen = [];
  await page.route(ROUTE, (route) => {
    seen.push(route.request().headers()["idempotency-key"]);
    return route.abort("connectionreset");
  });
  const widget = await mountWidget(page, { idempotency_key: true });
  await fill(widget, CUSTOMER);
  const before = await formValues(widget);
  await submitButton(widget).click();
  const alert = widget.getByRole("alert");
  await expect(alert).toContainText("Não foi possível falar com o sistema do provedor");
  await expect(alert).toContainText(SAFE);
  await expect(submitButton(widget)).toBeEnabled();
  expect(await formValues(widget)).toEqual(before);
  // Nothing more is sent later (every timer of the next 30 s runs now).
  await runTimers(page, 30_000);
  expect(seen).toHaveLength(3);
  expect(new Set(seen).size).toBe(1);
  expect(seen[0]).toMatch(UUID);
  expect(await received(request)).toHaveLength(0);
  await expectNoAxeViolations(page);
});

test("on: after a send whose outcome is unknown, an edited form is a new intent, and the texts warn instead of reassuring", async ({ page, request }) => {
  await installClock(page);
  const posts = recordPosts(page);
  await page.route(ROUTE, (route) => route.abort("connectionreset"));
  const widget = await mountWidget(page, { idempotency_key: true });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  const alert = widget.getByRole("alert");
  await expect(alert).toContainText(SAFE);
  expect(posts).toHaveLength(3);
  // The customer adds to the text: sending it would carry a new key, so nothing says it is safe.
  await fill(widget, { descricao: `${CUSTOMER.descricao} Continua sem.` });
  await expect(alert).toContainText(WARNING);
  await expect(alert).not.toContainText(SAFE);
  await submitButton(widget).click();
  await expect(widget.getByRole("button", { name: "Não, vou verificar antes" })).toBeVisible();
  await widget.getByRole("button", { name: "Não, vou verificar antes" }).click();
  // Back to the text that was sent: the same key again, and the reassurance with it.
  await fill(widget, { descricao: CUSTOMER.descricao });
  await expect(alert).toContainText(SAFE);
  await page.unroute(ROUTE);
  await submitButton(widget).click();
  await widget.getByRole("button", { name: "Sim, enviar de novo" }).click();
  await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
  expect(posts).toHaveLength(4);
  expect(new Set(posts.map((p) => p.key)).size).toBe(1);
});

test("off: a lost POST is not retried, and the texts warn before sending again", async ({ page, request }) => {
  await installClock(page);
  const posts = recordPosts(page);
  await page.route(ROUTE, (route) => route.abort("connectionreset"));
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  const alert = widget.getByRole("alert");
  await expect(alert).toContainText("Não foi possível falar com o sistema do provedor");
  await expect(alert).toContainText(WARNING);
  await runTimers(page, 30_000);
  expect(posts).toHaveLength(1);
  expect(posts[0].key).toBeUndefined();
  await submitButton(widget).click();
  await expect(widget.getByRole("group", { name: /pode já ter sido aberto/ })).toBeVisible();
  await expect(widget.getByRole("button", { name: "Não, vou verificar antes" })).toBeVisible();
  expect(posts).toHaveLength(1);
  expect(await received(request)).toHaveLength(0);
});

for (const keyed of [true, false]) {
  test(`a reload while the ticket is being sent ${keyed ? "resends under the same key" : "asks before sending again"}: the page says the send was interrupted`, async ({ page, request }) => {
    const options = keyed ? { idempotency_key: true } : {};
    // Hubsoft opens the ticket but answers only after the page is gone.
    await queue(request, { fault: "late", delay_ms: 3000 });
    let widget = await mountWidget(page, options);
    await fill(widget, CUSTOMER);
    await submitButton(widget).click();
    await expect.poll(async () => (await received(request)).length).toBe(1);
    widget = await mountWidget(page, options); // navigates to "/": a reload mid-send
    const alert = widget.getByRole("alert");
    await expect(alert).toContainText("O último envio deste formulário ficou sem resposta.");
    await expect(alert).toContainText(keyed ? SAFE : WARNING);
    expect(await formValues(widget)).toEqual({ ...CUSTOMER, email: "" });
    // A press asks first, as after any send whose outcome is unknown; answering "not now"
    // puts the focus back on the button (the question's buttons are gone).
    await submitButton(widget).click();
    await widget.getByRole("button", { name: keyed ? "Agora não" : "Não, vou verificar antes" }).click();
    await expect(submitButton(widget)).toBeFocused();
    await submitButton(widget).click();
    await widget.getByRole("button", { name: "Sim, enviar de novo" }).click();
    await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
    const posts = await received(request);
    expect(posts).toHaveLength(2);
    if (keyed) {
      expect(keyOf(posts[0])).toMatch(UUID);
      expect(keyOf(posts[1])).toBe(keyOf(posts[0]));
    }
    // Settled: nothing left to tell at the next load.
    const marks = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("abrir-chamado:envio:")));
    expect(marks).toEqual([]);
    widget = await mountWidget(page, options);
    await expect(submitButton(widget)).toBeVisible();
    await expect(widget.getByRole("alert")).toHaveCount(0);
  });
}

test("'Desfazer' after discarding an unanswered send puts its mark back: a reload still says so, and the resend keeps the key", async ({ page, request }) => {
  const marks = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("abrir-chamado:envio:")));
  await queue(request, { fault: "late", delay_ms: 3000 });
  let widget = await mountWidget(page, { idempotency_key: true });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect.poll(async () => (await received(request)).length).toBe(1);
  widget = await mountWidget(page, { idempotency_key: true });
  await expect(widget.getByRole("alert")).toContainText("ficou sem resposta");
  await widget.getByRole("button", { name: "Descartar rascunho" }).click();
  await expect.poll(marks).toEqual([]);
  await widget.getByRole("button", { name: "Desfazer" }).click();
  await expect(widget.getByRole("alert")).toContainText("ficou sem resposta");
  await expect.poll(marks).toHaveLength(1);
  widget = await mountWidget(page, { idempotency_key: true });
  await expect(widget.getByRole("alert")).toContainText("ficou sem resposta");
  await submitButton(widget).click();
  await widget.getByRole("button", { name: "Sim, enviar de novo" }).click();
  await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(2);
  expect(keyOf(posts[1])).toBe(keyOf(posts[0]));
});

test("the radio that had the focus keeps it while the ticket is sent", async ({ page, request }) => {
  await queue(request, { status: 503, delay_ms: 600, content_type: "text/html", body: "<html>503</html>" });
  const widget = await mountWidget(page, {
    services: [
      { id_cliente_servico: 11000, label: "Fibra A" },
      { id_cliente_servico: 11001, label: "Fibra B" },
    ],
  });
  await fill(widget, { nome: CUSTOMER.nome, telefone: CUSTOMER.telefone, descricao: CUSTOMER.descricao });
  const b = widget.getByRole("radio", { name: "Fibra B" });
  await b.check();
  await b.press("Enter");
  await expect(widget.locator("form")).toHaveAttribute("aria-busy", "true");
  await expect(b).toBeFocused();
  await expect(widget.getByRole("radio", { name: "Fibra A" })).toBeDisabled();
  await expect(widget.getByRole("alert")).toBeVisible();
  await expect(b).toBeFocused();
  await expect(b).toBeChecked();
  expect(await received(request)).toHaveLength(1);
});
