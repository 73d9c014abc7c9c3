// Issue 12: the form on screen before the WebAssembly. The entry script paints the form
// prerendered at build time by the widget's own components; the customer reads it and types into
// it; the widget takes it over keeping what was typed, the focus, the caret and an early submit,
// without moving anything. `loading="lazy"` loads the wasm only on intent. A page rendered on the
// server brings the same form as Declarative Shadow DOM (dist/dsd/*.html).
import { readFileSync } from "node:fs";
import { test, expect } from "@playwright/test";
import { installClock, received, resetMockAndCatchPageErrors, runTimers } from "./helpers.mjs";
import { PORT } from "../../playwright.config.mjs";

resetMockAndCatchPageErrors(test);

const ENDPOINT = `http://127.0.0.1:${PORT}`;
const SCRIPT = `<script type="module" src="/abrir-chamado.js"></script>`;
const element = (attrs = "") => `<abrir-chamado id="w" endpoint="${ENDPOINT}" id-cliente-servico="11000" ${attrs}></abrir-chamado>`;

/**
 * Serves a host page (on the mock's origin) that gives every element the token, records layout
 * shifts (`window.__shifts`) and every navigation attempt, and opens it.
 */
async function hostPage(page, { head = "", body = "", lang = "pt-BR", waitUntil = "load" }) {
  await page.route("**/hosts/generated.html", (route) =>
    route.fulfill({
      contentType: "text/html; charset=utf-8",
      body: `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>host</title>
<script>
  window.__shifts = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
    .observe({ type: "layout-shift", buffered: true });
  const give = () => document.querySelectorAll("abrir-chamado").forEach((el) => { if (!el.token) el.token = "demo-token"; });
  new MutationObserver(give).observe(document.documentElement, { childList: true, subtree: true });
  give();
</script>${head}</head><body><main id="host">${body}</main></body></html>`,
    }),
  );
  await page.goto("/hosts/generated.html", { waitUntil });
}

/** Holds every wasm response until `release()`; `requests()` counts the wasm requests so far. */
async function holdWasm(page) {
  let release;
  let count = 0;
  const gate = new Promise((ok) => (release = ok));
  await page.route(/_bg\.wasm$/, async (route) => {
    count++;
    await gate;
    await route.continue();
  });
  return { release, requests: () => count };
}

const painted = (page) => page.locator("#w .ac-root[data-first-paint]");

/** The page goes to the background: a switch to another app, after which a phone may discard the tab. */
async function hidePage(page) {
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

/** Types a customer's name, phone and description into the form `form`. */
async function fillCustomer(form) {
  await form.getByLabel(/nome/i).fill("Maria da Silva");
  await form.getByLabel(/telefone/i).fill("37999112233");
  await form.getByLabel(/descrição/i).fill("Sem internet desde ontem.");
}
const live = (page) => page.locator("#w .ac-root:not([data-first-paint])");
const takenOver = async (page) => {
  await expect(live(page).getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await expect(painted(page)).toHaveCount(0);
};

test("the form is painted and typable before the wasm arrives; the takeover keeps text, focus and caret, and moves nothing", async ({ page }) => {
  const { release, requests } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('nome="Maria"') });
  const first = painted(page);
  await expect(first.getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await expect(first.getByLabel(/nome/i)).toHaveValue("Maria", { timeout: 1000 });
  await expect.poll(requests).toBe(1);
  // The customer types into the prerendered form and puts the caret inside the description.
  await first.getByLabel(/telefone/i).fill("37999112233");
  const descricao = first.getByLabel(/descrição/i);
  await descricao.fill("Sem internet desde ontem.");
  await descricao.evaluate((el) => el.setSelectionRange(4, 12));
  const box = async (p) => (await p.getByRole("button", { name: "Abrir chamado" }).boundingBox());
  const before = { submit: await box(first), field: await first.getByLabel(/descrição/i).boundingBox() };
  release();
  await takenOver(page);
  const widget = live(page);
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria");
  await expect(widget.getByLabel(/telefone/i)).toHaveValue("(37) 99911-2233");
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem.");
  await expect(widget.getByLabel(/descrição/i)).toBeFocused();
  expect(await widget.getByLabel(/descrição/i).evaluate((el) => [el.selectionStart, el.selectionEnd])).toEqual([4, 12]);
  // Nothing moved: same boxes, no layout shift recorded.
  expect(await box(widget)).toEqual(before.submit);
  expect(await widget.getByLabel(/descrição/i).boundingBox()).toEqual(before.field);
  expect(await page.evaluate(() => window.__shifts.reduce((a, b) => a + b, 0))).toBe(0);
  // Keys typed after the takeover land in the same field, at the caret.
  await page.keyboard.type("X");
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Sem X desde ontem.");
});

test("the first paint is the widget's own first render: the same elements, classes and texts", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('nome="Maria"') });
  // Tag, class, role and text of every element, with ids (per widget instance) left out.
  const shape = (container) =>
    container.evaluate((root) =>
      [...root.querySelectorAll("*")].map((el) =>
        [el.tagName, el.getAttribute("class"), el.getAttribute("role"), el.getAttribute("type"), el.childElementCount ? "" : el.textContent.trim()].join("|"),
      ),
    );
  await expect(painted(page).getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  const before = await shape(painted(page));
  release();
  await takenOver(page);
  expect(await shape(live(page))).toEqual(before);
});

test("typing straight through the takeover loses no keystroke", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const nome = painted(page).getByLabel(/nome/i);
  await nome.click();
  await page.keyboard.type("Maria ");
  release();
  // Key by key while the widget takes over.
  await page.keyboard.type("da Silva Santos", { delay: 15 });
  await takenOver(page);
  await expect(live(page).getByLabel(/nome/i)).toHaveValue("Maria da Silva Santos");
});

test("telefone digits typed before the takeover get the widget's mask, and typing goes on from there", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const phone = page.locator("#w").getByLabel(/telefone/i);
  await phone.pressSequentially("3799");
  release();
  await takenOver(page);
  await expect(phone).toHaveValue("(37) 99");
  await expect(phone).toBeFocused();
  await page.keyboard.type("x");
  await expect(phone).toHaveValue("(37) 99x");
  await page.keyboard.press("Backspace");
  await expect(phone).toHaveValue("(37) 99");
});

test("a selection made before the takeover is kept, around the same characters and in its direction", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const selection = () =>
    page.evaluate(() => {
      const at = document.getElementById("w").shadowRoot.activeElement;
      return [at.getAttribute("name"), at.selectionStart, at.selectionEnd, at.selectionDirection];
    });
  // Telefone: "99911" selected backwards in "37 99911 2233".
  const phone = page.locator("#w").getByLabel(/telefone/i);
  await phone.pressSequentially("37 99911 2233");
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowLeft");
  for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+ArrowLeft");
  expect(await selection()).toEqual(["telefone", 3, 8, "backward"]);
  release();
  await takenOver(page);
  await expect(phone).toHaveValue("(37) 99911-2233");
  expect(await selection()).toEqual(["telefone", 5, 10, "backward"]);
  await page.keyboard.type("88888");
  await expect(phone).toHaveValue("(37) 88888-2233");
});

test("a telefone typed with letters or symbols before the takeover shows what typing it into the widget shows", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const phone = page.locator("#w").getByLabel(/telefone/i);
  await phone.pressSequentially("3799x");
  await phone.press("ArrowLeft");
  release();
  await takenOver(page);
  await expect(phone).toHaveValue("(37) 99x");
  // The caret stays between the last digit and the letter.
  expect(await phone.evaluate((el) => [el.selectionStart, el.selectionEnd])).toEqual([7, 7]);
  await page.keyboard.press("End");
  await page.keyboard.press("Backspace");
  await expect(phone).toHaveValue("(37) 99");
});

test("another customer (draft-key) before the takeover: the typed text leaves the screen at once and is kept as the first customer's draft only", async ({ page }) => {
  const { release, requests } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('draft-key="cliente-1"') });
  const first = painted(page);
  await first.getByLabel(/descrição/i).fill("Dados privados do cliente 1");
  await first.getByLabel(/nome/i).fill("Cliente Um");
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-2"));
  await expect(first.getByLabel(/descrição/i)).toBeHidden();
  await expect.poll(requests).toBe(1);
  release();
  await takenOver(page);
  const widget = live(page);
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
  await expect(widget.getByLabel(/nome/i)).toHaveValue("");
  const keys = await page.evaluate(() => Object.keys(localStorage));
  expect(keys.filter((k) => k.endsWith("|cliente-1"))).toHaveLength(1);
  expect(keys.filter((k) => k.endsWith("|cliente-2"))).toHaveLength(0);
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-1"));
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Dados privados do cliente 1");
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Cliente Um");
});

test("a customer switched away and back before the takeover gets the typed text back on screen", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('draft-key="cliente-1"') });
  const first = painted(page);
  await first.getByLabel(/descrição/i).fill("Texto do cliente 1");
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-2"));
  await expect(first.getByLabel(/descrição/i)).toBeHidden();
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-1"));
  await expect(first.getByLabel(/descrição/i)).toHaveValue("Texto do cliente 1");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Texto do cliente 1");
});

test("a click on 'Abrir chamado' before the takeover is kept: no native post, then exactly one ticket", async ({ page, request }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const first = painted(page);
  await fillCustomer(first);
  const url = page.url();
  const button = first.getByRole("button", { name: "Abrir chamado" });
  await button.click();
  expect(page.url()).toBe(url);
  // The press shows what the widget shows while it sends: the form busy and greyed, the
  // sending announced; text cannot be added after the press and left out of the ticket. The
  // focus stays on the button (a screen reader keeps its place), which takes no second press.
  await expect(first.locator("form")).toHaveAttribute("aria-busy", "true");
  await expect(button).toBeFocused();
  await expect(button).toHaveAttribute("aria-disabled", "true");
  await expect(first.getByRole("status").first()).toHaveText("Enviando o chamado…");
  await button.press("Enter");
  expect(page.url()).toBe(url);
  await expect(first.getByLabel(/descrição/i)).not.toBeEditable();
  await first.getByLabel(/descrição/i).press("x");
  await expect(first.getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem.");
  expect(await received(request)).toHaveLength(0);
  release();
  await expect(page.locator("#w .ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(page.url()).toBe(url);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.descricao).toBe("Sem internet desde ontem.");
});

test("when the widget's code cannot be loaded, a press on 'Abrir chamado' says so in Portuguese, keeps the text and retries", async ({ page, request }) => {
  let fail = true;
  // Every download of the wasm, and those that failed: typing is an intent too, so it may start
  // one more (failing) attempt, which the test lets end before the press that should load.
  let requested = 0;
  let failed = 0;
  await page.route(/_bg\.wasm$/, (route) => {
    requested++;
    if (!fail) return route.continue();
    failed++;
    return route.abort("internetdisconnected");
  });
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await hostPage(page, { head: SCRIPT, body: element() });
  const first = painted(page);
  await fillCustomer(first);
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(first.getByRole("alert")).toHaveText(/Não foi possível carregar o formulário\. Verifique sua conexão/);
  await expect(first.getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem.");
  // The form is the customer's again: editable, and the press can be repeated.
  await expect(first.getByLabel(/descrição/i)).toBeEnabled();
  await first.getByLabel(/descrição/i).press("End");
  await first.getByLabel(/descrição/i).pressSequentially(" Luz vermelha.");
  expect(errors.some((e) => e.includes("não foi possível carregar o widget"))).toBe(true);
  // Each failed attempt has said so (one console error each): none is still under way.
  await expect.poll(() => errors.filter((e) => e.includes("não foi possível carregar o widget")).length).toBe(failed);
  expect(requested).toBe(failed);
  fail = false;
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(page.locator("#w .ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.descricao).toBe("Sem internet desde ontem. Luz vermelha.");
});

test("a press that waits too long for the widget's code (a stalled download) gives the form back, and nothing is sent later", async ({ page, request }) => {
  const { release } = await holdWasm(page);
  await installClock(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const first = painted(page);
  await fillCustomer(first);
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(first.locator("form")).toHaveAttribute("aria-busy", "true");
  await expect(first.getByRole("button", { name: "Abrir chamado" })).toHaveAttribute("aria-disabled", "true");
  // 20 s on the page's clock without the widget's code.
  await runTimers(page, 20000);
  await expect(first.getByRole("alert")).toHaveText(/Não foi possível carregar o formulário\. Verifique sua conexão/);
  await expect(first.locator("form")).not.toHaveAttribute("aria-busy", "true");
  await expect(first.getByRole("button", { name: "Abrir chamado" })).not.toHaveAttribute("aria-disabled", "true");
  await expect(first.getByLabel(/descrição/i)).toBeEditable();
  await expect(first.getByRole("status").first()).toHaveText("");
  await first.getByLabel(/descrição/i).press("End");
  await first.getByLabel(/descrição/i).pressSequentially(" Luz vermelha.");
  // The code arrives after all: the widget takes the form over without sending it.
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem. Luz vermelha.");
  await runTimers(page, 5000);
  await expect(live(page).locator("form")).not.toHaveAttribute("aria-busy", "true");
  await expect(live(page).getByRole("button", { name: "Abrir chamado" })).toBeEnabled();
  expect(await received(request)).toHaveLength(0);
});

test("a stalled wasm download is abandoned when the press gives the form back: the next press starts a fresh request and sends", async ({ page, request }) => {
  // The first request never answers (a stalled connection); the next ones do.
  let wasmRequests = 0;
  await page.route(/_bg\.wasm$/, (route) => (++wasmRequests === 1 ? undefined : route.continue()));
  await installClock(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const first = painted(page);
  await fillCustomer(first);
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(first.locator("form")).toHaveAttribute("aria-busy", "true");
  // 20 s on the page's clock: the form is given back and the stalled download aborted.
  await runTimers(page, 20000);
  await expect(first.getByRole("alert")).toHaveText(/Não foi possível carregar o formulário\. Verifique sua conexão/);
  expect(wasmRequests).toBe(1);
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  await expect.poll(() => wasmRequests).toBe(2);
  await expect(page.locator("#w .ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.descricao).toBe("Sem internet desde ontem.");
});

test("an early click on an incomplete form shows the widget's validation after the takeover, text kept", async ({ page, request }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  const first = painted(page);
  await first.getByLabel(/descrição/i).fill("Sem internet.");
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  // Nome and Telefone are empty: the press is kept, but nothing claims the ticket is being sent.
  await expect(first.locator("form")).toHaveAttribute("aria-busy", "true");
  await expect(first.getByRole("status").first()).toHaveText("Verificando o formulário…");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/nome/i)).toHaveAttribute("aria-invalid", "true");
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet.");
  expect(await received(request)).toHaveLength(0);
});

test("the first paint speaks the page's language and mode; options it cannot prerender wait for the widget", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, {
    lang: "en",
    head: SCRIPT,
    body: `${element()}
      <abrir-chamado id="typed" endpoint="${ENDPOINT}" locale="es"></abrir-chamado>
      <abrir-chamado id="modal" endpoint="${ENDPOINT}" id-cliente-servico="11000" mode="modal"></abrir-chamado>
      <abrir-chamado id="phone" endpoint="${ENDPOINT}" id-cliente-servico="11000" telefone="37999112233"></abrir-chamado>
      <abrir-chamado id="tipos" endpoint="${ENDPOINT}" id-cliente-servico="11000" tipos='[{"id_tipo_atendimento":1,"label":"Sem conexão"}]'></abrir-chamado>
      <abrir-chamado id="noendpoint"></abrir-chamado>`,
  });
  await expect(painted(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(page.locator("#typed [data-first-paint] form")).toHaveAttribute("method", "dialog");
  await expect(page.locator("#typed [data-first-paint]").getByText(/contrato/i).first()).toBeVisible();
  await expect(page.locator("#modal [data-first-paint] .ac-launcher")).toBeVisible();
  for (const id of ["phone", "tipos", "noendpoint"]) {
    expect(await page.evaluate((id) => document.getElementById(id).shadowRoot?.childNodes.length ?? 0, id)).toBe(0);
  }
  release();
  for (const id of ["w", "typed", "phone", "tipos"]) {
    await expect(page.locator(`#${id} .ac-root:not([data-first-paint]) button[type=submit]`)).toBeVisible();
  }
  await expect(page.locator("#phone").getByLabel(/telefone|phone/i)).toHaveValue("(37) 99911-2233");
  await expect(page.locator("#modal .ac-root:not([data-first-paint]) .ac-launcher")).toBeVisible();
});

test("host options changed before the takeover: the first paint follows them until the customer types; typed fields are kept, the others take the host's values", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: `<abrir-chamado id="w" endpoint="${ENDPOINT}" nome="Maria"></abrir-chamado>` });
  await expect(painted(page).getByLabel(/serviço/i)).toBeVisible();
  // Untouched: a new service and name repaint it.
  await page.evaluate(() => {
    const el = document.getElementById("w");
    el.setAttribute("id-cliente-servico", "12000");
    el.setAttribute("nome", "Maria Souza");
  });
  await expect(painted(page).getByLabel(/serviço/i)).toHaveCount(0);
  await expect(painted(page).getByLabel(/nome/i)).toHaveValue("Maria Souza");
  // Typed: the description stays; a new prefill still reaches the untouched name.
  await painted(page).getByLabel(/descrição/i).fill("Já digitado");
  await page.evaluate(() => document.getElementById("w").setAttribute("nome", "Maria S. Souza"));
  await expect(painted(page).getByLabel(/nome/i)).toHaveValue("Maria S. Souza");
  // A telefone prefill cannot be prerendered, but the customer has typed: the paint stays.
  await page.evaluate(() => document.getElementById("w").setAttribute("telefone", "37999112233"));
  await expect(painted(page).getByLabel(/descrição/i)).toHaveValue("Já digitado");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/nome/i)).toHaveValue("Maria S. Souza");
  await expect(live(page).getByLabel(/telefone/i)).toHaveValue("(37) 99911-2233");
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Já digitado");
});

/** The name and caret of the control focused in the element's shadow root. */
const focusedField = (page) =>
  page.evaluate(() => {
    const at = document.getElementById("w").shadowRoot.activeElement;
    return at && { name: at.getAttribute("name"), caret: [at.selectionStart, at.selectionEnd] };
  });

test("a host change while the customer is in the untouched first paint keeps the focus, the caret and the next keystroke", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: `<abrir-chamado id="w" endpoint="${ENDPOINT}" nome="Maria"></abrir-chamado>` });
  const nome = painted(page).getByLabel(/nome/i);
  await nome.focus();
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  expect(await focusedField(page)).toEqual({ name: "nome", caret: [3, 3] });
  // A prerenderable change: the new form, with the focus and the caret where they were.
  await page.evaluate(() => document.getElementById("w").setAttribute("id-cliente-servico", "12000"));
  await expect(painted(page).getByLabel(/serviço/i)).toHaveCount(0);
  expect(await focusedField(page)).toEqual({ name: "nome", caret: [3, 3] });
  await page.keyboard.type("X");
  await expect(nome).toHaveValue("MarXia");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/nome/i)).toHaveValue("MarXia");
  await expect(live(page).getByLabel(/serviço/i)).toHaveCount(0);
});

test("a host change the first paint cannot show, while the customer is in it untouched, leaves it in place with the focus; the widget applies it", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: `<abrir-chamado id="w" endpoint="${ENDPOINT}" nome="Maria"></abrir-chamado>` });
  const descricao = painted(page).getByLabel(/descrição/i);
  await descricao.focus();
  // A telefone prefill cannot be prerendered: without the customer in the form it would empty it.
  await page.evaluate(() => document.getElementById("w").setAttribute("telefone", "37999112233"));
  await expect(descricao).toBeVisible();
  expect(await focusedField(page)).toEqual({ name: "descricao", caret: [0, 0] });
  await page.keyboard.type("Sem sinal");
  await expect(descricao).toHaveValue("Sem sinal");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/nome/i)).toHaveValue("Maria");
  await expect(live(page).getByLabel(/telefone/i)).toHaveValue("(37) 99911-2233");
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem sinal");
  await expect(live(page).getByLabel(/descrição/i)).toBeFocused();
});

test("a prefilled field the customer emptied before the takeover stays empty", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('nome="Maria" email="maria@example.com"') });
  await painted(page).getByLabel(/nome/i).fill("");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/nome/i)).toHaveValue("");
  await expect(live(page).getByLabel(/e-mail/i)).toHaveValue("maria@example.com");
});

test("a word a phone keyboard is still composing at the takeover is written once, after it is committed", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  await page.evaluate(() => document.getElementById("w").addEventListener("abrir-chamado:ready", () => (window.__ready = true)));
  const descricao = painted(page).getByLabel(/descrição/i);
  await descricao.focus();
  await page.keyboard.type("Sem ");
  // An input method's composition, as Android keyboards make for every word.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.imeSetComposition", { text: "intern", selectionStart: 6, selectionEnd: 6 });
  await expect(descricao).toHaveValue("Sem intern");
  release();
  await page.waitForFunction(() => window.__ready === true);
  // The widget is ready but the word is not committed: the customer's field stays.
  await expect(painted(page)).toHaveCount(1);
  await cdp.send("Input.insertText", { text: "internet" });
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet");
  await expect(live(page).getByLabel(/descrição/i)).toBeFocused();
  await page.keyboard.type(" desde ontem");
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem");
});

test("a tap on 'Abrir chamado' that ends a word being composed, with the widget ready, lands: one ticket", async ({ page, request }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  await page.evaluate(() => document.getElementById("w").addEventListener("abrir-chamado:ready", () => (window.__ready = true)));
  const first = painted(page);
  await first.getByLabel(/nome/i).fill("Maria da Silva");
  await first.getByLabel(/telefone/i).fill("37999112233");
  const descricao = first.getByLabel(/descrição/i);
  await descricao.focus();
  await page.keyboard.type("Sem ");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.imeSetComposition", { text: "internet", selectionStart: 8, selectionEnd: 8 });
  release();
  await page.waitForFunction(() => window.__ready === true);
  await expect(first).toHaveCount(1);
  // The tap moves the focus, which ends the word: the press lands before the widget swaps in.
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(page.locator("#w .ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.descricao).toBe("Sem internet");
});

test("without constructable stylesheets the first paint waits for its stylesheet file, never shown unstyled", async ({ page }) => {
  await page.addInitScript(() => {
    delete ShadowRoot.prototype.adoptedStyleSheets;
    delete Document.prototype.adoptedStyleSheets;
  });
  const { release } = await holdWasm(page);
  let releaseCss;
  const cssGate = new Promise((ok) => (releaseCss = ok));
  await page.route(/abrir-chamado\.css$/, async (route) => {
    await cssGate;
    await route.continue();
  });
  // The page's load event waits for the stylesheet too.
  await hostPage(page, { head: SCRIPT, body: element(), waitUntil: "domcontentloaded" });
  await expect(painted(page)).toHaveCount(1);
  await expect(painted(page).getByRole("button", { name: "Abrir chamado" })).toBeHidden();
  releaseCss();
  const button = painted(page).getByRole("button", { name: "Abrir chamado" });
  await expect(button).toBeVisible();
  expect(await button.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe("rgb(11, 87, 208)");
  await painted(page).getByLabel(/descrição/i).fill("Sem internet");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet");
});

test("text typed into the first paint is kept as the customer's draft when the page is hidden or left before the widget has arrived", async ({ page }) => {
  await holdWasm(page); // this page never gets the widget's code
  await hostPage(page, { head: SCRIPT, body: element('draft-key="cliente-7"') });
  await painted(page).getByLabel(/descrição/i).fill("Sem internet desde ontem");
  await hidePage(page);
  const saved = await page.evaluate(() => Object.entries(localStorage));
  expect(saved).toHaveLength(1);
  expect(saved[0][0]).toBe(`abrir-chamado:rascunho:v2|${ENDPOINT}|11000|cliente-7`);
  expect(saved[0][1]).toContain("descricao=Sem internet desde ontem");
  // A reload, with the code arriving this time: the widget restores it.
  await page.unroute(/_bg\.wasm$/);
  await page.reload();
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem");
  await expect(live(page).getByText("Recuperamos o que você tinha escrito antes.")).toBeVisible();
});

test("the first paint's early draft keeps only the fields typed into: the host's values of the next visit fill the rest", async ({ page }) => {
  await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('draft-key="cliente-8" nome="Ana" email="ana@velho.com"') });
  await expect(painted(page).getByLabel(/e-mail/i)).toHaveValue("ana@velho.com");
  await painted(page).getByLabel(/descrição/i).fill("Sem sinal desde ontem");
  await hidePage(page);
  const saved = await page.evaluate(() => Object.values(localStorage));
  expect(saved).toHaveLength(1);
  expect(saved[0]).toContain("descricao=Sem sinal desde ontem");
  expect(saved[0]).toContain("nome=\x1f");
  expect(saved[0]).toContain("email=\x1f");
  expect(saved[0]).not.toContain("ana@velho.com");
});

test("a logout that removes a typed first paint and clears storage at once leaves no draft behind", async ({ page }) => {
  await holdWasm(page);
  await installClock(page);
  await hostPage(page, { head: SCRIPT, body: element('draft-key="cliente-9"') });
  await painted(page).getByLabel(/descrição/i).fill("Texto de quem vai sair");
  await page.evaluate(() => {
    document.getElementById("w").remove();
    localStorage.clear();
  });
  await runTimers(page, 5000); // past the removal's grace
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent("pagehide")));
  expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
});

test("a first paint kept for a focused customer does not hide the draft of the customer the host switches to", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  await page.evaluate((endpoint) => localStorage.setItem(`abrir-chamado:rascunho:v2|${endpoint}|11000|cliente-7`, "v3\x1fdescricao=Rascunho salvo"), ENDPOINT);
  await painted(page).getByLabel(/descrição/i).focus();
  // The portal knows who is signed in: this customer has a saved draft, which the first paint
  // cannot show; it stays, focused, untouched.
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-7"));
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Rascunho salvo");
  await expect(live(page).getByText("Recuperamos o que você tinha escrito antes.")).toBeVisible();
});

test("a saved draft makes the first paint wait, so the restored draft is the first form shown", async ({ page }) => {
  await hostPage(page, { head: SCRIPT, body: element() });
  await live(page).getByLabel(/descrição/i).fill("Rascunho guardado.");
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).length)).toBe(1);
  const { release } = await holdWasm(page);
  await page.reload();
  await page.waitForFunction(() => customElements.get("abrir-chamado") !== undefined);
  expect(await page.evaluate(() => document.getElementById("w").shadowRoot?.childNodes.length ?? 0)).toBe(0);
  release();
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Rascunho guardado.");
});

// In Spanish the texts file is loaded on intent too, with the wasm (the wasm carries Portuguese).
for (const [locale, submit, texts] of [
  ["pt-BR", "Abrir chamado", []],
  ["es", "Abrir solicitud", ["/abrir-chamado.es.txt"]],
]) {
  test(`loading="lazy" loads the wasm only when the element nears the viewport (${locale})`, async ({ page }) => {
    const catalogs = [];
    page.on("request", (r) => /abrir-chamado\.[a-z]+\.txt/.test(r.url()) && catalogs.push(new URL(r.url()).pathname));
    const { release, requests } = await holdWasm(page);
    release();
    await hostPage(page, {
      head: SCRIPT,
      body: `<div style="height: 3000px">Portal</div>${element(`loading="lazy" locale="${locale}"`)}`,
    });
    await expect(painted(page).getByRole("button", { name: submit })).toBeAttached();
    // Idle for two idle callbacks, still nothing loaded.
    await page.evaluate(() => new Promise((ok) => requestIdleCallback(() => requestIdleCallback(ok))));
    expect(requests()).toBe(0);
    expect(catalogs).toEqual([]);
    await page.locator("#w").scrollIntoViewIfNeeded();
    await expect(live(page).getByRole("button", { name: submit })).toBeVisible();
    await expect(painted(page)).toHaveCount(0);
    expect(requests()).toBe(1);
    expect(catalogs).toEqual(texts);
  });
}

test('loading="lazy" in modal mode loads on the launcher\'s hover; a press before the takeover opens the dialog', async ({ page }) => {
  const { release, requests } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('mode="modal" loading="lazy"') });
  const launcher = painted(page).getByRole("button", { name: "Abrir um chamado" });
  await expect(launcher).toBeVisible();
  await page.evaluate(() => new Promise((ok) => requestIdleCallback(() => requestIdleCallback(ok))));
  expect(requests()).toBe(0);
  await launcher.hover();
  await expect.poll(requests).toBe(1);
  await launcher.click();
  // Seen and announced at once; the dialog opens when the widget has arrived.
  await expect(launcher).toHaveAttribute("aria-busy", "true");
  await expect(painted(page).getByRole("status")).toHaveText("Abrindo o formulário…");
  expect(await launcher.evaluate((b) => getComputedStyle(b).cursor)).toBe("progress");
  release();
  await expect(page.locator("#w").getByRole("dialog", { name: "Abrir chamado" })).toBeVisible();
  await expect(page.locator("#w").getByLabel(/nome/i)).toBeVisible();
});

test('loading="lazy": a focus in the form loads the wasm (keyboard users)', async ({ page }) => {
  const { release, requests } = await holdWasm(page);
  release();
  // A lazy element in view loads at once (near the viewport), so this one starts hidden
  // from the observer's view: inside a scrolled-away box, reached by Tab.
  await hostPage(page, {
    head: SCRIPT,
    body: `<a href="#" id="before">Início</a><div style="height: 200px; overflow: hidden"><div style="height: 3000px"></div>${element('loading="lazy"')}</div>`,
  });
  await expect(painted(page)).toBeAttached();
  await page.evaluate(() => new Promise((ok) => requestIdleCallback(() => requestIdleCallback(ok))));
  expect(requests()).toBe(0);
  await page.locator("#before").focus();
  await page.keyboard.press("Tab");
  await expect.poll(requests).toBe(1);
  await takenOver(page);
});

test("a page rendered on the server brings the form as Declarative Shadow DOM; the widget adopts it", async ({ page, request }) => {
  const snippet = readFileSync(new URL("../../dist/dsd/pt-BR-inline-fixed.html", import.meta.url), "utf8");
  const { release, requests } = await holdWasm(page);
  // The script comes last: the form is on screen before it is even requested.
  await hostPage(page, {
    body: `<abrir-chamado id="w" endpoint="${ENDPOINT}" id-cliente-servico="11000">${snippet}</abrir-chamado>${SCRIPT}`,
  });
  const first = painted(page);
  await expect(first.getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await fillCustomer(first);
  await first.getByRole("button", { name: "Abrir chamado" }).click();
  await expect.poll(requests).toBe(1);
  release();
  await expect(page.locator("#w .ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.nome).toBe("Maria da Silva");
});

test("with Declarative Shadow DOM, what the customer types before the script has even run is kept", async ({ page }) => {
  const snippet = readFileSync(new URL("../../dist/dsd/pt-BR-inline-fixed.inline-style.html", import.meta.url), "utf8");
  let release;
  const gate = new Promise((ok) => (release = ok));
  await page.route("**/abrir-chamado.js", async (route) => {
    await gate;
    await route.continue();
  });
  await page.route("**/hosts/generated.html", (route) =>
    route.fulfill({
      contentType: "text/html; charset=utf-8",
      body: `<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>host</title></head><body>
        <abrir-chamado id="w" endpoint="${ENDPOINT}" id-cliente-servico="11000" nome="Maria">${snippet}</abrir-chamado>
        <script type="module" src="/abrir-chamado.js"></script></body></html>`,
    }),
  );
  // A module script delays DOMContentLoaded until it has run: wait for the response only.
  await page.goto("/hosts/generated.html", { waitUntil: "commit" });
  const first = painted(page);
  // Styled by the inline stylesheet, before any script: the button has the widget's colours.
  await expect(first.getByRole("button", { name: "Abrir chamado" })).toHaveCSS("min-height", "44px");
  expect(await page.evaluate(() => customElements.get("abrir-chamado"))).toBeUndefined();
  await first.getByLabel(/descrição/i).fill("Digitado antes do script.");
  await first.getByLabel(/e-mail/i).fill("maria@example.com");
  release();
  await takenOver(page);
  await page.evaluate(() => (document.getElementById("w").token = "demo-token"));
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Digitado antes do script.");
  await expect(live(page).getByLabel(/e-mail/i)).toHaveValue("maria@example.com");
  await expect(live(page).getByLabel(/nome/i)).toHaveValue("Maria");
});

test("dist/dsd/preload.html in the page's head: the module and the wasm download with the page, each once, and the widget works", async ({ page, request }) => {
  const hints = readFileSync(new URL("../../dist/dsd/preload.html", import.meta.url), "utf8");
  expect(hints).toMatch(/<link rel="preload" href="\/abrir-chamado-[0-9a-f]+_bg\.wasm" as="fetch" type="application\/wasm" crossorigin>/);
  const requested = [];
  page.on("request", (r) => requested.push(new URL(r.url()).pathname));
  const consoleMessages = [];
  page.on("console", (m) => consoleMessages.push(m.text()));
  await hostPage(page, { head: hints + SCRIPT, body: element() });
  await takenOver(page);
  const wasm = requested.filter((p) => p.endsWith("_bg.wasm"));
  expect(wasm).toHaveLength(1);
  // Every hint was used (Chromium warns about a preload left unused, or fetched twice).
  expect(consoleMessages.filter((m) => /preload/i.test(m))).toEqual([]);
  for (const [, href] of hints.matchAll(/href="([^"]+)"/g)) expect(requested.filter((p) => p === href)).toHaveLength(1);
  await live(page).getByLabel(/nome/i).fill("Maria da Silva");
  await live(page).getByLabel(/telefone/i).fill("37999112233");
  await live(page).getByLabel(/descrição/i).fill("Sem internet.");
  await live(page).getByRole("button", { name: "Abrir chamado" }).click();
  await expect(live(page).locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await received(request)).toHaveLength(1);
});

test("mount() from the entry works before the wasm has arrived", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { body: `<div id="m"></div>` });
  await page.evaluate(async (endpoint) => {
    const { mount } = await import("/abrir-chamado.js");
    window.__h = mount(document.getElementById("m"), { endpoint, token: "demo-token", id_cliente_servico: 11000, mode: "modal" });
    window.__h.open();
  }, ENDPOINT);
  release();
  await expect(page.locator("#m").getByRole("dialog", { name: "Abrir chamado" })).toBeVisible();
});

test("mount() of a missing element throws at once and does not hold the other widgets back", async ({ page, request }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { body: `<div id="bom"></div>` });
  const thrown = await page.evaluate(async (endpoint) => {
    const { mount } = await import("/abrir-chamado.js");
    let message = null;
    try {
      mount(document.getElementById("chamdo"), { endpoint, token: "demo-token" });
    } catch (error) {
      message = `${error.name}: ${error.message}`;
    }
    mount(document.getElementById("bom"), { endpoint, token: "demo-token", id_cliente_servico: 11000 });
    return message;
  }, ENDPOINT);
  expect(thrown).toMatch(/^TypeError: abrir-chamado: mount\(element, options\) needs an element/);
  await page.evaluate((html) => document.getElementById("host").insertAdjacentHTML("beforeend", html), element());
  release();
  await expect(page.locator("#bom").getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await takenOver(page);
  await live(page).getByLabel(/nome/i).fill("Maria da Silva");
  await live(page).getByLabel(/telefone/i).fill("37999112233");
  await live(page).getByLabel(/descrição/i).fill("Sem internet.");
  await live(page).getByRole("button", { name: "Abrir chamado" }).click();
  await expect(page.locator("#w .ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await received(request)).toHaveLength(1);
});

test("the element's open() before the widget has loaded loads it (even lazy) and opens the dialog", async ({ page }) => {
  const { release, requests } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('mode="modal" loading="LAZY"') });
  await expect(painted(page).getByRole("button", { name: "Abrir um chamado" })).toBeVisible();
  expect(requests()).toBe(0);
  await page.evaluate(() => document.getElementById("w").open());
  await expect.poll(requests).toBe(1);
  release();
  await expect(page.locator("#w").getByRole("dialog", { name: "Abrir chamado" })).toBeVisible();
});

/**
 * Saves a draft for `draft-key="cliente-1"` through the loaded widget, then reloads the page with
 * every wasm response held (`holdWasm`'s `release`).
 */
async function draftThenReloadHeld(page) {
  await hostPage(page, { head: SCRIPT, body: element('draft-key="cliente-1"') });
  await live(page).getByLabel(/descrição/i).fill("Rascunho de quem saiu.");
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).length)).toBe(1);
  const held = await holdWasm(page);
  await page.reload();
  return held;
}

test("the element's reset() before the widget has loaded clears the first paint and deletes the draft before it is shown", async ({ page }) => {
  const { release } = await draftThenReloadHeld(page);
  // The first customer's draft makes the first paint wait; another customer's key on the same
  // browser gets one (the draft is not theirs).
  expect(await page.evaluate(() => document.getElementById("w").shadowRoot?.childNodes.length ?? 0)).toBe(0);
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-2"));
  await expect(painted(page).getByLabel(/descrição/i)).toHaveValue("");
  await painted(page).getByLabel(/descrição/i).fill("Digitado e depois limpo");
  // A send of the first customer's that got no answer left its mark (the request body) beside
  // the draft: the reset deletes it too.
  await page.evaluate(() => {
    const draft = Object.keys(localStorage).find((k) => k.startsWith("abrir-chamado:rascunho:") && k.endsWith("|cliente-1"));
    localStorage.setItem(draft.replace("abrir-chamado:rascunho:", "abrir-chamado:envio:"), `v2\u001f${Date.now()}\u001f\u001f{}`);
  });
  // Back to the first customer's key, and the portal resets (a logout) before the widget loads.
  await page.evaluate(() => {
    const el = document.getElementById("w");
    el.setAttribute("draft-key", "cliente-1");
    el.reset();
  });
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("");
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
});

test("text typed after an early reset() is kept; the reset deleted the draft at once", async ({ page }) => {
  const { release } = await draftThenReloadHeld(page);
  // The portal resets (a logout) before the widget loads: the draft goes now, not at the load.
  await page.evaluate(() => document.getElementById("w").reset());
  expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
  // The next customer types into the form the reset left, before the widget arrives.
  await expect(painted(page).getByLabel(/descrição/i)).toHaveValue("");
  await painted(page).getByLabel(/descrição/i).fill("Sem internet desde ontem");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem");
  await expect(live(page).getByText(/Recuperamos/)).toHaveCount(0);
});

test("mount()'s handle: reset() before the widget has loaded deletes the draft at once, and the widget starts clear", async ({ page }) => {
  const mountWith = (page) =>
    page.evaluate(async (endpoint) => {
      const { mount } = await import("/abrir-chamado.js");
      window.__h = mount(document.getElementById("m"), { endpoint, token: "demo-token", id_cliente_servico: 11000, draft_key: "cliente-1" });
    }, ENDPOINT);
  await hostPage(page, { body: `<div id="m"></div>` });
  await mountWith(page);
  await page.locator("#m").getByLabel(/descrição/i).fill("Rascunho de quem saiu.");
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).length)).toBe(1);
  const { release } = await holdWasm(page);
  await page.reload();
  await mountWith(page);
  await page.evaluate(() => window.__h.reset());
  expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
  release();
  await expect(page.locator("#m").getByLabel(/descrição/i)).toHaveValue("");
  await expect(page.locator("#m").getByText(/Recuperamos/)).toHaveCount(0);
});

test('a modal with loading="lazy" whose launcher cannot be painted early loads at once, so its launcher appears', async ({ page }) => {
  const { release, requests } = await holdWasm(page);
  // A telefone prefill is one of the options the first paint waits for.
  await hostPage(page, { head: SCRIPT, body: element('mode="modal" loading="lazy" nome="Maria" telefone="37999112233"') });
  await expect.poll(requests).toBe(1);
  release();
  await expect(page.locator("#w").getByRole("button", { name: "Abrir um chamado" })).toBeVisible();
});

test("keyboard focus on the first paint's launcher stays on the widget's launcher after the takeover", async ({ page }) => {
  const { release, requests } = await holdWasm(page);
  await hostPage(page, { head: `<button id="before">antes</button>${SCRIPT}`, body: element('mode="modal" loading="lazy"') });
  await expect(painted(page).getByRole("button", { name: "Abrir um chamado" })).toBeVisible();
  await page.locator("#before").focus();
  await page.keyboard.press("Tab");
  await expect(painted(page).getByRole("button", { name: "Abrir um chamado" })).toBeFocused();
  // The focus is what loads a lazy widget.
  await expect.poll(requests).toBe(1);
  release();
  const launcher = live(page).getByRole("button", { name: "Abrir um chamado" });
  await expect(launcher).toBeVisible();
  await expect(painted(page)).toHaveCount(0);
  await expect(launcher).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#w").getByRole("dialog", { name: "Abrir chamado" })).toBeVisible();
});

test("a typed first paint taken off the page for longer than a move keeps the text; put back, the widget takes it over", async ({ page }) => {
  const { release } = await holdWasm(page);
  await installClock(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  await painted(page).getByLabel(/descrição/i).fill("Sem internet desde ontem");
  await page.evaluate(() => {
    window.__el = document.getElementById("w");
    window.__el.remove();
  });
  // Past the removal grace (1 s, on the page's clock): a loaded widget would have been
  // destroyed, with a draft saved.
  await runTimers(page, 1500);
  await page.evaluate(() => document.getElementById("host").append(window.__el));
  await expect(painted(page).getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem");
});

test("values a script sets with only a change event (a password manager) are kept at the takeover", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  await expect(painted(page).getByLabel(/nome/i)).toBeVisible();
  await page.evaluate(() => {
    const root = document.getElementById("w").shadowRoot;
    for (const [name, value] of [["nome", "Maria da Silva"], ["email", "maria@example.com"]]) {
      const field = root.querySelector(`[data-first-paint] [name="${name}"]`);
      field.value = value;
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/nome/i)).toHaveValue("Maria da Silva");
  await expect(live(page).getByLabel(/e-mail/i)).toHaveValue("maria@example.com");
});

test("a configuration error the first paint could not foresee takes its place when the widget arrives", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  await expect(painted(page).getByLabel(/nome/i)).toBeVisible();
  // A token the widget refuses (not ASCII): the early form cannot know.
  await page.evaluate(() => (document.getElementById("w").token = "demo-token\u200b"));
  release();
  await expect(page.locator("#w").getByRole("alert")).toContainText("ASCII");
  await expect(painted(page)).toHaveCount(0);
});

test("an early launcher press taken back (Escape, or another control of the page) does not open the dialog later", async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: `<input id="busca" aria-label="Buscar">${element('mode="modal" loading="lazy"')}` });
  const launcher = painted(page).getByRole("button", { name: "Abrir um chamado" });
  await launcher.click();
  await expect(launcher).toHaveAttribute("aria-busy", "true");
  await page.keyboard.press("Escape");
  await expect(launcher).not.toHaveAttribute("aria-busy", "true");
  await expect(painted(page).getByRole("status")).toHaveText("");
  // Pressed again, then the customer goes on to the page's own search box.
  await launcher.click();
  await page.locator("#busca").click();
  await page.keyboard.type("segunda via");
  await expect(launcher).not.toHaveAttribute("aria-busy", "true");
  release();
  await expect(live(page).getByRole("button", { name: "Abrir um chamado" })).toBeVisible();
  await page.keyboard.type(" boleto");
  await expect(page.locator("#busca")).toHaveValue("segunda via boleto");
  await expect(page.locator("#busca")).toBeFocused();
  await expect(page.locator("#w").getByRole("dialog")).toBeHidden();
});

test("a launcher press while the widget cannot be loaded says so", async ({ page }) => {
  await page.route(/_bg\.wasm$/, (route) => route.abort("internetdisconnected"));
  await hostPage(page, { head: SCRIPT, body: element('mode="modal"') });
  await painted(page).getByRole("button", { name: "Abrir um chamado" }).click();
  await expect(painted(page).getByRole("alert")).toHaveText("Não foi possível carregar o formulário. Verifique sua conexão e tente de novo.");
  // No longer busy: the launcher is the customer's to press again.
  await expect(painted(page).getByRole("button", { name: "Abrir um chamado" })).not.toHaveAttribute("aria-busy", "true");
  await expect(painted(page).getByRole("status")).toHaveText("");
});

test("a snippet whose stylesheet link is wrong is styled once the entry has run", async ({ page }) => {
  const snippet = readFileSync(new URL("../../dist/dsd/pt-BR-inline-fixed.html", import.meta.url), "utf8").replace(/href="[^"]*"/, 'href="/nao-existe.css"');
  const { release } = await holdWasm(page);
  await hostPage(page, { body: `<abrir-chamado id="w" endpoint="${ENDPOINT}" id-cliente-servico="11000">${snippet}</abrir-chamado>${SCRIPT}` });
  await expect(painted(page).getByRole("button", { name: "Abrir chamado" })).toHaveCSS("min-height", "44px");
  await expect(painted(page).getByRole("button", { name: "Descartar rascunho" })).toBeHidden();
  release();
  await takenOver(page);
});

test("values the widget would refuse show no early form (nothing typed is lost to a configuration error)", async ({ page }) => {
  const { release } = await holdWasm(page);
  const bad = ['loading="soon"', 'timeout-ms="abc"', 'idempotency-key="sim"'];
  await hostPage(page, {
    head: SCRIPT,
    body: [
      ...bad.map((a, i) => `<abrir-chamado id="b${i}" endpoint="${ENDPOINT}" id-cliente-servico="11000" ${a}></abrir-chamado>`),
      `<abrir-chamado id="b3" endpoint="http://api.example.com" id-cliente-servico="11000"></abrir-chamado>`,
      `<abrir-chamado id="b4" endpoint="${ENDPOINT}/?x=1" id-cliente-servico="11000"></abrir-chamado>`,
      element('locked="[]" labels="{}"'),
    ].join(""),
  });
  await expect(painted(page).getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  for (let i = 0; i < 5; i++) {
    expect(await page.evaluate((id) => document.getElementById(id).shadowRoot?.childNodes.length ?? 0, `b${i}`)).toBe(0);
  }
  release();
  for (let i = 0; i < 5; i++) await expect(page.locator(`#b${i}`).getByRole("alert")).toBeVisible();
});

// The wasm carries Portuguese only; the English and Spanish texts are files beside the entry
// (abrir-chamado.en.txt, .es.txt), loaded once per page for a customer who reads one of them.
test("the English and Spanish texts are downloaded only for a customer who reads them, once, with the wasm", async ({ page }) => {
  const catalogs = [];
  page.on("request", (r) => /abrir-chamado\.[a-z]+\.txt/.test(r.url()) && catalogs.push(new URL(r.url()).pathname));
  const { release, requests } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element() });
  await expect.poll(requests).toBe(1);
  release();
  await takenOver(page);
  expect(catalogs).toEqual([]);

  // An English widget inserted later: its texts are loaded, once for two widgets.
  await page.evaluate((endpoint) => {
    for (const id of ["en1", "en2"]) {
      const el = document.createElement("abrir-chamado");
      el.id = id;
      el.setAttribute("endpoint", endpoint);
      el.setAttribute("id-cliente-servico", "11000");
      el.setAttribute("locale", "en-US");
      document.getElementById("host").append(el);
    }
  }, ENDPOINT);
  for (const id of ["#en1", "#en2"]) {
    await expect(page.locator(`${id} .ac-root:not([data-first-paint])`).getByRole("button", { name: "Open ticket" })).toBeVisible();
    await expect(page.locator(id).getByLabel("Description of the problem")).toBeVisible();
  }
  expect(catalogs).toEqual(["/abrir-chamado.en.txt"]);
  // The Portuguese widget never changed.
  await expect(live(page).getByRole("button", { name: "Abrir chamado" })).toBeVisible();
});

test("an English first paint is taken over in English: the texts are requested beside the wasm, not after it", async ({ page }) => {
  let catalogAsked = false;
  let wasmAsked = false;
  let releaseWasm;
  const gate = new Promise((ok) => (releaseWasm = ok));
  await page.route(/_bg\.wasm$/, async (route) => {
    wasmAsked = true;
    await gate;
    await route.continue();
  });
  await page.route(/abrir-chamado\.en\.txt/, (route) => {
    catalogAsked = true;
    return route.continue();
  });
  await hostPage(page, { head: SCRIPT, body: element(), lang: "en" });
  await expect(painted(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  // Both requests go out while the wasm is still held: the texts do not wait for it.
  await expect.poll(() => wasmAsked && catalogAsked).toBe(true);
  await painted(page).getByLabel("Description of the problem").fill("No internet since this morning.");
  releaseWasm();
  await expect(live(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(painted(page)).toHaveCount(0);
  await expect(live(page).getByLabel("Description of the problem")).toHaveValue("No internet since this morning.");
});

test("English texts that cannot be loaded: the widget speaks Portuguese, keeps what was typed and tells the developer", async ({ page }) => {
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await page.route(/abrir-chamado\.en\.txt/, (route) => route.abort("internetdisconnected"));
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('locale="en"') });
  await painted(page).getByLabel("Description of the problem").fill("No internet since this morning.");
  release();
  await takenOver(page);
  await expect(live(page).getByLabel(/descrição/i)).toHaveValue("No internet since this morning.");
  expect(warnings.some((w) => w.includes("the en texts could not be loaded"))).toBe(true);
});

test("texts that never answer: after their time limit the widget takes over in Portuguese, says so in its lang, and sends an early press once", async ({ page, request }) => {
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await installClock(page);
  await page.route(/abrir-chamado\.en\.txt/, () => {}); // held for good: a stalled connection
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('locale="en"') });
  const form = painted(page);
  await form.getByLabel("Name").fill("Maria Souza");
  await form.getByLabel("Phone").fill("37999112233");
  await form.getByLabel("Description of the problem").fill("No internet since this morning.");
  await form.getByRole("button", { name: "Open ticket" }).click();
  await expect(form.getByRole("status")).toHaveText("Sending the ticket…");
  // The texts' time limit (10 s) runs out at once on Playwright's clock; the wasm arrives more
  // than 5 s later: the widget takes over at once in Portuguese (the texts are tried again in
  // the background, not waited for a second time) and sends the press.
  await runTimers(page, 11_000);
  await runTimers(page, 6_000);
  release();
  await expect(page.locator("#w").getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  await expect(page.locator("#w [lang]").first()).toHaveAttribute("lang", "pt-BR");
  expect((await received(request)).filter((r) => r.method === "POST")).toHaveLength(1);
  expect(warnings.some((w) => w.includes("the en texts could not be loaded"))).toBe(true);
});

test("texts that are not the texts (a portal's page served with 200, another language) are refused, and a later render tries again", async ({ page }) => {
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  let answer = { contentType: "text/html", body: "<!doctype html><title>Portal</title><p>Página não encontrada</p>" };
  let asked = 0;
  await page.route(/abrir-chamado\.es\.txt/, (route) => {
    asked++;
    return answer ? route.fulfill(answer) : route.continue();
  });
  await hostPage(page, { head: SCRIPT, body: element('locale="es"') });
  await takenOver(page);
  await expect(page.locator("#w [lang]").first()).toHaveAttribute("lang", "pt-BR");
  expect(warnings.some((w) => w.includes("the file is not the es texts"))).toBe(true);
  // The English texts served under the Spanish name: refused too.
  answer = { contentType: "text/plain", body: (await page.request.get("/abrir-chamado.en.txt").then((r) => r.text())) };
  await page.evaluate(() => (Date.now = ((now) => () => now() + 6000)(Date.now))); // past the retry wait
  await page.locator("#w").evaluate((el) => el.setAttribute("nome", "Maria"));
  await expect.poll(() => asked).toBe(2);
  await expect(live(page).getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  // The right file at the next try: the widget moves to Spanish, keeping what was typed.
  await live(page).getByLabel(/descrição/i).fill("Sin internet.");
  answer = null;
  await page.evaluate(() => (Date.now = ((now) => () => now() + 6000)(Date.now)));
  await page.locator("#w").evaluate((el) => el.setAttribute("nome", "Maria Souza"));
  await expect(live(page).getByRole("button", { name: "Abrir solicitud" })).toBeVisible();
  await expect(page.locator("#w [lang]").first()).toHaveAttribute("lang", "es");
  await expect(live(page).getByLabel("Descripción del problema")).toHaveValue("Sin internet.");
  expect(asked).toBe(3);
});

/** An English widget taken over while the Spanish texts are held; returns `release()` for them. */
async function englishWhileSpanishHeld(page) {
  let release;
  const gate = new Promise((ok) => (release = ok));
  await page.route(/abrir-chamado\.es\.txt/, async (route) => {
    await gate;
    await route.continue();
  });
  await hostPage(page, { head: SCRIPT, body: element('locale="en"') });
  await expect(live(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  return release;
}

test("a switch to another language keeps the one on screen until its texts are here, and takes every other change at once", async ({ page }) => {
  const release = await englishWhileSpanishHeld(page);
  await live(page).getByLabel("Description of the problem").fill("Customer A's words.");
  // Another customer, in Spanish: the customer's change (draft-key, service, name) is taken at
  // once (A's words leave the screen), the language when its texts are here.
  await page.locator("#w").evaluate((el) => {
    el.setAttribute("draft-key", "cliente-b");
    el.setAttribute("id-cliente-servico", "11001");
    el.setAttribute("nome", "Beatriz");
    el.setAttribute("locale", "es");
  });
  await expect(live(page).getByLabel("Description of the problem")).toHaveValue("");
  await expect(live(page).getByLabel("Name")).toHaveValue("Beatriz");
  await expect(live(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(page.locator("#w [lang]").first()).toHaveAttribute("lang", "en");
  release();
  await expect(live(page).getByRole("button", { name: "Abrir solicitud" })).toBeVisible();
  await expect(live(page).getByLabel("Nombre")).toHaveValue("Beatriz");
});

test("a second widget's texts go out with the wasm too, and mount() with a throwing locale getter neither throws nor stops the page", async ({ page }) => {
  const catalogs = [];
  page.on("request", (r) => /abrir-chamado\.[a-z]+\.txt/.test(r.url()) && catalogs.push(new URL(r.url()).pathname));
  const { release, requests } = await holdWasm(page);
  await hostPage(page, {
    head: SCRIPT,
    body: `${element()}<abrir-chamado id="en" endpoint="${ENDPOINT}" id-cliente-servico="11000" locale="en"></abrir-chamado>`,
  });
  await expect.poll(requests).toBe(1);
  await expect.poll(() => catalogs).toEqual(["/abrir-chamado.en.txt"]);
  // A script mount() of a Spanish widget while the wasm loads: its texts go out at once too.
  const threw = await page.evaluate(async (endpoint) => {
    const { mount } = await import("/abrir-chamado.js");
    const spanish = document.createElement("div");
    const bad = document.createElement("div");
    document.getElementById("host").append(spanish, bad);
    mount(spanish, { endpoint, token: "demo-token", locale: "es", id_cliente_servico: 11000 });
    try {
      mount(bad, { endpoint, token: "demo-token", get locale() { throw new Error("boom"); } });
      return false;
    } catch (_) {
      return true;
    }
  }, ENDPOINT);
  expect(threw).toBe(false);
  await expect.poll(() => catalogs.sort()).toEqual(["/abrir-chamado.en.txt", "/abrir-chamado.es.txt"]);
  release();
  await takenOver(page);
  await expect(page.locator("#en").getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(page.locator("#host > div").first().getByRole("button", { name: "Abrir solicitud" })).toBeVisible();
  // The bad one shows its configuration error, naming the option.
  await expect(page.locator("#host > div").nth(1)).toContainText("locale");
});

test('locale="" follows the page\'s language, in the first paint and in the widget alike', async ({ page }) => {
  const { release } = await holdWasm(page);
  await hostPage(page, { head: SCRIPT, body: element('locale=""'), lang: "en" });
  await expect(painted(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  release();
  await expect(live(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(painted(page)).toHaveCount(0);
});

test("texts that failed and load at a later try move every widget that fell back to Portuguese", async ({ page }) => {
  let fail = true;
  await page.route(/abrir-chamado\.en\.txt/, (route) => (fail ? route.fulfill({ status: 404, body: "" }) : route.continue()));
  await hostPage(page, {
    head: SCRIPT,
    body: `${element('locale="en"')}<abrir-chamado id="b" endpoint="${ENDPOINT}" id-cliente-servico="11000" locale="en"></abrir-chamado>`,
  });
  await takenOver(page);
  await expect(page.locator("#b .ac-root:not([data-first-paint])").getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  // More than 5 s later (the retry wait) a change on one widget tries again, and the texts load.
  fail = false;
  await page.evaluate(() => (Date.now = ((now) => () => now() + 6000)(Date.now)));
  await page.locator("#w").evaluate((el) => el.setAttribute("nome", "Maria"));
  for (const id of ["#w", "#b"]) {
    await expect(page.locator(`${id} .ac-root:not([data-first-paint])`).getByRole("button", { name: "Open ticket" })).toBeVisible();
  }
});

test("a new press after the wasm and the texts failed tries both again at once, and the ticket is in the customer's language", async ({ page }) => {
  let offline = true;
  await page.route(/(_bg\.wasm|abrir-chamado\.en\.txt)/, (route) => (offline ? route.abort("internetdisconnected") : route.continue()));
  await hostPage(page, { head: SCRIPT, body: element('locale="en"') });
  const form = painted(page);
  await expect(form.getByText("The form could not be loaded", { exact: false })).toHaveCount(0);
  await form.getByLabel("Name").fill("Maria Souza");
  await form.getByLabel("Phone").fill("37999112233");
  await form.getByLabel("Description of the problem").fill("No internet since this morning.");
  // Back online; the press, within the retry wait of the failed texts, loads both.
  offline = false;
  await form.getByRole("button", { name: "Open ticket" }).click();
  await expect(page.locator("#w").getByRole("heading", { name: "Ticket opened!" })).toBeVisible();
});

test("mount() handles: frozen options during a language switch are taken at once, and a handle waiting for its texts mounts when switched to a language that is here", async ({ page }) => {
  await page.route(/abrir-chamado\.es\.txt/, () => {}); // Spanish stalls
  await hostPage(page, { head: SCRIPT, body: "" });
  const result = await page.evaluate(async (endpoint) => {
    const { mount } = await import("/abrir-chamado.js");
    const base = { endpoint, token: "demo-token", id_cliente_servico: 11000 };
    const english = document.createElement("div");
    english.id = "english";
    const waiting = document.createElement("div");
    waiting.id = "waiting";
    document.getElementById("host").append(english, waiting);
    const a = mount(english, Object.freeze({ ...base, locale: "en" }));
    await new Promise((ok) => english.addEventListener("abrir-chamado:ready", ok, { once: true }));
    // Frozen options (a state library's), a new name and a language whose texts stall.
    let threw = null;
    try {
      a.update(Object.freeze({ ...base, locale: "es", nome: "Beatriz" }));
    } catch (error) {
      threw = String(error);
    }
    // A handle waiting for the Spanish texts, switched to Portuguese.
    const b = mount(waiting, { ...base, locale: "es" });
    await new Promise((ok) => setTimeout(ok, 50));
    const mountedBefore = !!waiting.shadowRoot?.querySelector("form");
    b.update({ ...base, locale: "pt-BR" });
    return { threw, mountedBefore };
  }, ENDPOINT);
  expect(result).toEqual({ threw: null, mountedBefore: false });
  await expect(page.locator("#english").getByLabel("Name")).toHaveValue("Beatriz");
  await expect(page.locator("#english").getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(page.locator("#english [lang]").first()).toHaveAttribute("lang", "en");
  await expect(page.locator("#waiting").getByRole("button", { name: "Abrir chamado" })).toBeVisible();
});

test("a switch to a language whose texts are being tried again keeps the one on screen; a fixed configuration waits for its language", async ({ page }) => {
  let gate = null;
  let fail = true;
  await page.route(/abrir-chamado\.es\.txt/, async (route) => {
    if (fail) return route.fulfill({ status: 404, body: "" });
    await gate;
    return route.continue();
  });
  await hostPage(page, { head: SCRIPT, body: element('locale="en"') });
  await expect(live(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  const w = page.locator("#w");
  // Spanish fails: Portuguese; back to English.
  await w.evaluate((el) => el.setAttribute("locale", "es"));
  await expect(live(page).getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await w.evaluate((el) => el.setAttribute("locale", "en"));
  await expect(live(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  // Past the retry wait, Spanish again: the retry is slow; English stays until it lands.
  fail = false;
  let release;
  gate = new Promise((ok) => (release = ok));
  await page.evaluate(() => (Date.now = ((now) => () => now() + 6000)(Date.now)));
  await w.evaluate((el) => el.setAttribute("locale", "es"));
  await page.evaluate(() => new Promise((ok) => setTimeout(ok, 300)));
  await expect(live(page).getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(page.locator("#w [lang]").first()).toHaveAttribute("lang", "en");
  release();
  await expect(live(page).getByRole("button", { name: "Abrir solicitud" })).toBeVisible();
});

test("a configuration fixed together with a language whose texts are loading shows the form in that language, not Portuguese first", async ({ page }) => {
  const release = await englishWhileSpanishHeld(page);
  const w = page.locator("#w");
  await w.evaluate((el) => el.setAttribute("endpoint", "ftp://nao-serve"));
  await expect(w.getByRole("alert")).toBeVisible();
  await w.evaluate((el, endpoint) => {
    el.setAttribute("locale", "es");
    el.setAttribute("endpoint", endpoint);
  }, ENDPOINT);
  await page.evaluate(() => new Promise((ok) => setTimeout(ok, 300)));
  // Still the error (no Portuguese form in between) until the Spanish texts are here.
  await expect(w.getByRole("button", { name: "Abrir chamado" })).toHaveCount(0);
  release();
  await expect(live(page).getByRole("button", { name: "Abrir solicitud" })).toBeVisible();
  await expect(w.getByRole("alert")).toHaveCount(0);
});
