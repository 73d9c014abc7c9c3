// Issue 9: faults found by trying the widget as customers and portal developers would. Each
// block drives the release build in Chromium against the mock Hubsoft server.
import { test, expect } from "@playwright/test";
import { queue, received, resetMock, SUCCESS } from "./helpers.mjs";

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});

const ENDPOINT = `http://127.0.0.1:${process.env.E2E_PORT ?? 8797}`;

/** Opens the element host page and waits for <abrir-chamado> to be defined. */
async function elementPage(page) {
  await page.goto("/hosts/element.html");
  await page.waitForFunction(() => customElements.get("abrir-chamado") !== undefined);
}

/** Adds <abrir-chamado id=`id`> with `attrs` and `props` to `parent` (a selector). */
async function addElement(page, { id = "w", attrs = {}, props = {}, parent = "#host" } = {}) {
  await page.evaluate(
    ({ id, attrs, props, parent }) => {
      const el = document.createElement("abrir-chamado");
      el.id = id;
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      for (const [k, v] of Object.entries(props)) el[k] = v;
      document.querySelector(parent).append(el);
    },
    { id, attrs, props, parent },
  );
  return page.locator(`#${id}`);
}

async function fillCustomer(widget) {
  await widget.getByLabel(/nome/i).fill("Maria da Silva");
  await widget.getByLabel(/telefone/i).fill("37999112233");
  await widget.getByLabel(/descrição/i).fill("Sem internet desde ontem.");
}

// ---------------------------------------------------------------------------------------------
// Fault 3: what a host page passes down by inheritance (and its root font size) stops at the
// widget. Each case is a hostile rule on the page and what the widget must still compute.
const INHERITED = [
  ["root font size", "html { font-size: 10px }", (s) => s.inputFontSize === "16px" && s.submitHeight >= 44 && s.inputHeight >= 44],
  ["huge root font size", "html { font-size: 40px }", (s) => s.inputFontSize === "16px" && s.submitHeight < 80],
  ["font size on an ancestor", "#host { font-size: 9px }", (s) => s.labelFontSize === "16px" && s.inputFontSize === "16px"],
  ["line height", "body { line-height: 0.2 }", (s) => s.labelLineHeight === "24px"],
  ["letter spacing", "body { letter-spacing: 12px }", (s) => s.labelLetterSpacing === "normal"],
  ["word spacing", "body { word-spacing: 30px }", (s) => s.labelWordSpacing === "0px"],
  ["text transform", "body { text-transform: uppercase }", (s) => s.labelTransform === "none"],
  ["direction", "html { direction: rtl }", (s) => s.direction === "ltr"],
  ["colour", "body { color: rgb(255, 0, 0) }", (s) => s.labelColor !== "rgb(255, 0, 0)"],
  ["text fill colour", "body { -webkit-text-fill-color: transparent }", (s) => s.labelFill !== "rgba(0, 0, 0, 0)"],
  ["visibility", "#host { visibility: hidden }", (s) => s.labelVisibility === "visible"],
  ["cursor", "body { cursor: wait }", (s) => s.hintCursor === "auto"],
  ["text align", "body { text-align: right }", (s) => s.labelTextAlign === "start"],
  ["font style and weight", "body { font-style: italic; font-weight: 100 }", (s) => s.labelFontStyle === "normal" && s.hintFontWeight === "400"],
  ["white space", "body { white-space: pre }", (s) => s.labelWhiteSpace === "normal"],
];

for (const [name, css, ok] of INHERITED) {
  test(`fault 3: a host page's inherited ${name} does not leak into the widget`, async ({ page }) => {
    await elementPage(page);
    await page.addStyleTag({ content: css });
    const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
    await expect(widget.locator("button[type=submit]")).toHaveCount(1);
    const style = await widget.evaluate((host) => {
      const root = host.shadowRoot;
      const label = getComputedStyle(root.querySelector("label"));
      const input = root.querySelector("input[name=nome]");
      const submit = root.querySelector("button[type=submit]");
      return {
        inputFontSize: getComputedStyle(input).fontSize,
        inputHeight: input.getBoundingClientRect().height,
        submitHeight: submit.getBoundingClientRect().height,
        labelFontSize: label.fontSize,
        labelLineHeight: label.lineHeight,
        labelLetterSpacing: label.letterSpacing,
        labelWordSpacing: label.wordSpacing,
        labelTransform: label.textTransform,
        direction: getComputedStyle(input).direction,
        labelColor: label.color,
        labelFill: label.webkitTextFillColor,
        labelVisibility: label.visibility,
        hintCursor: getComputedStyle(root.querySelector(".ac-hint")).cursor,
        labelTextAlign: label.textAlign,
        labelFontStyle: label.fontStyle,
        hintFontWeight: getComputedStyle(root.querySelector(".ac-hint")).fontWeight,
        labelWhiteSpace: label.whiteSpace,
      };
    });
    expect(ok(style), JSON.stringify(style, null, 1)).toBe(true);
  });
}

test("the reader's default font size (a browser setting) sizes the widget's text; the page's root font size does not", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Page.enable");
  await cdp.send("Page.setFontSizes", { fontSizes: { standard: 28 } });
  await elementPage(page);
  await page.addStyleTag({ content: "html { font-size: 10px }" });
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
  await expect(widget.locator("button[type=submit]")).toHaveCount(1);
  const sizes = await widget.evaluate((host) => {
    const root = host.shadowRoot;
    const size = (selector) => getComputedStyle(root.querySelector(selector)).fontSize;
    return { label: size("label"), input: size("input[name=nome]"), hint: size(".ac-hint"), page: getComputedStyle(document.documentElement).fontSize };
  });
  expect(sizes).toEqual({ label: "28px", input: "28px", hint: "25.2px", page: "10px" });
});

// ---------------------------------------------------------------------------------------------
// Fault 7: a modal widget leaves the page's focus and scroll alone until the customer acts.
test("fault 7: mode=modal keeps the page's autofocused field and scroll position on load", async ({ page }) => {
  await elementPage(page);
  await page.evaluate(() => {
    const input = document.createElement("input");
    input.id = "page-search";
    input.setAttribute("aria-label", "Busca do portal");
    document.getElementById("host").prepend(input);
    input.focus();
    const spacer = document.createElement("div");
    spacer.style.height = "3000px";
    document.getElementById("host").append(spacer);
    window.__ready = 0;
    document.addEventListener("abrir-chamado:ready", () => window.__ready++);
  });
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, mode: "modal", "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
  const launcher = widget.locator("[part=launcher]");
  await expect(launcher).toBeVisible();
  await page.waitForFunction(() => window.__ready === 1);
  // Let any focus effect of the first render run before looking.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("page-search");
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  // The host changing options re-renders without taking the focus either.
  await page.evaluate(() => document.getElementById("w").setAttribute("nome", "Maria"));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("page-search");
  // Opening and closing (customer actions) still move the focus: into the dialog, then back.
  await launcher.click();
  await expect(widget.locator("dialog[open]")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(widget.locator("dialog[open]")).toHaveCount(0);
  await expect(launcher).toBeFocused();
});

// ---------------------------------------------------------------------------------------------
// Fault 9: moving the element (as React, Vue or a portal's modal does) keeps the widget, even
// with storage blocked (no draft to fall back on) and when the insertion comes a task later.
test("fault 9: moving the element keeps what was typed and fires ready once, with storage blocked", async ({ page }) => {
  await page.clock.install();
  await page.addInitScript(() => {
    const blocked = () => {
      throw new DOMException("blocked", "SecurityError");
    };
    Object.defineProperty(window, "localStorage", { get: blocked, configurable: true });
  });
  await elementPage(page);
  await page.evaluate(() => {
    window.__ready = 0;
    document.addEventListener("abrir-chamado:ready", () => window.__ready++);
    const other = document.createElement("section");
    other.id = "other";
    document.body.append(other);
  });
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
  await fillCustomer(widget);
  await page.waitForFunction(() => window.__ready === 1);
  await page.evaluate(() => (window.__form = document.getElementById("w").shadowRoot.querySelector("form")));
  // In the same task, a task later, and 150 ms later (the page's timers run on Playwright's
  // clock, so waiting past the grace period below takes no real time).
  await page.evaluate(() => document.getElementById("other").append(document.getElementById("w")));
  await page.evaluate(() => {
    window.__moved = document.getElementById("w");
    window.__moved.remove();
  });
  await page.evaluate(() => document.getElementById("host").append(window.__moved));
  await page.evaluate(() => window.__moved.remove());
  await page.clock.runFor(150);
  await page.evaluate(() => document.getElementById("other").append(window.__moved));
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem.");
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria da Silva");
  expect(await page.evaluate(() => document.getElementById("w").shadowRoot.querySelector("form") === window.__form)).toBe(true);
  // Well past the grace period: still the same widget, and `ready` fired once only.
  await page.clock.runFor(5000);
  expect(await page.evaluate(() => window.__ready)).toBe(1);
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Sem internet desde ontem.");
  expect(await page.evaluate(() => document.getElementById("w").shadowRoot.querySelector("form") === window.__form)).toBe(true);
  // And it still files the ticket.
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
});

// ---------------------------------------------------------------------------------------------
// Fault 10: without a `locale` option the widget follows the nearest `lang` ancestor.
test("fault 10: without locale the widget speaks the language of its nearest lang ancestor", async ({ page }) => {
  await elementPage(page);
  const attrs = { endpoint: ENDPOINT, "id-cliente-servico": "11000" };
  const props = { token: "demo-token" };
  const submitText = (id) => page.locator(`#${id}`).locator("button[type=submit]");
  await page.evaluate(() => {
    document.documentElement.lang = "es";
    const en = document.createElement("div");
    en.id = "en-region";
    en.lang = "en-US";
    const fr = document.createElement("div");
    fr.id = "fr-region";
    fr.lang = "fr";
    document.getElementById("host").append(en, fr);
  });
  await addElement(page, { id: "page-es", attrs, props });
  await addElement(page, { id: "region-en", attrs, props, parent: "#en-region" });
  await addElement(page, { id: "unknown-fr", attrs, props, parent: "#fr-region" });
  await addElement(page, { id: "explicit", attrs: { ...attrs, locale: "pt-BR" }, props });
  await expect(submitText("page-es")).toHaveText("Abrir solicitud");
  await expect(submitText("region-en")).toHaveText("Open ticket");
  await expect(submitText("unknown-fr")).toHaveText("Abrir chamado");
  await expect(submitText("explicit")).toHaveText("Abrir chamado");
  expect(await page.locator("#page-es").evaluate((h) => h.shadowRoot.querySelector(".ac-widget").lang)).toBe("es");
  // mount() from script follows the page the same way.
  await page.evaluate(async (endpoint) => {
    const { mount } = await import("/abrir-chamado.js");
    const el = document.createElement("div");
    el.id = "mounted";
    document.getElementById("en-region").append(el);
    mount(el, { endpoint, token: "demo-token", id_cliente_servico: 11000 });
  }, ENDPOINT);
  await expect(submitText("mounted")).toHaveText("Open ticket");
});

// ---------------------------------------------------------------------------------------------
// Fault 8: a browser without constructable stylesheets (iOS 15) under the README's strict CSP
// (`style-src 'self'`) still gets the widget styled, without a policy violation.
test("fault 8: without adoptedStyleSheets the widget is styled under style-src 'self'", async ({ page, request }) => {
  await page.addInitScript(() => {
    delete ShadowRoot.prototype.adoptedStyleSheets;
    delete Document.prototype.adoptedStyleSheets;
  });
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto("/hosts/csp.html");
  const widget = page.locator("#w");
  const submit = widget.getByRole("button", { name: "Abrir chamado" });
  await expect(submit).toBeVisible();
  expect(await page.evaluate(() => "adoptedStyleSheets" in document.getElementById("w").shadowRoot)).toBe(false);
  // Styled: the widget's own rules apply (primary colour, 44 px target, 16 px inputs).
  await expect
    .poll(() => submit.evaluate((b) => getComputedStyle(b).backgroundColor))
    .toBe("rgb(11, 87, 208)");
  const look = await widget.evaluate((host) => {
    const root = host.shadowRoot;
    return {
      submitHeight: root.querySelector("button[type=submit]").getBoundingClientRect().height,
      inputFontSize: getComputedStyle(root.querySelector("input[name=nome]")).fontSize,
      links: [...root.querySelectorAll("link[rel=stylesheet]")].map((l) => new URL(l.href).pathname),
      styles: root.querySelectorAll("style").length,
    };
  });
  expect(look.submitHeight).toBeGreaterThanOrEqual(44);
  expect(look.inputFontSize).toBe("16px");
  expect(look.links).toEqual(["/abrir-chamado.css"]);
  expect(look.styles).toBe(0);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
  await fillCustomer(widget);
  await submit.click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await received(request)).toHaveLength(1);
  expect(consoleErrors).toEqual([]);
});

/** Collects the detail of every `abrir-chamado:success` event in `window.__success`. */
async function recordSuccesses(page) {
  await page.evaluate(() => {
    window.__success = [];
    document.addEventListener("abrir-chamado:success", (e) => window.__success.push(e.detail));
  });
}

// ---------------------------------------------------------------------------------------------
// Fault 4: a 2xx answer carrying the ticket is a success whatever its `status` says (but
// `error`); the developer hears about the unusual answer in the console.
for (const [name, body] of [
  ["status in capitals", { ...SUCCESS, status: "SUCCESS" }],
  ["status in another spelling", { ...SUCCESS, status: "Sucesso" }],
  ["no status at all", { msg: SUCCESS.msg, atendimento: SUCCESS.atendimento }],
  ["a status that is not text", { ...SUCCESS, status: true }],
]) {
  test(`fault 4: a ticket answered with ${name} shows its protocolo and warns the developer`, async ({ page, request }) => {
    const warnings = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    await queue(request, { status: 201, body: JSON.stringify(body), content_type: "application/json" });
    await elementPage(page);
    await recordSuccesses(page);
    const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
    await fillCustomer(widget);
    await widget.getByRole("button", { name: "Abrir chamado" }).click();
    await expect(widget.locator(".ac-protocolo-value")).toHaveText("20250926160819577001");
    expect(await page.evaluate(() => window.__success.map((d) => d.protocolo))).toEqual(["20250926160819577001"]);
    expect(warnings.some((w) => w.includes("abrir-chamado") && w.includes("status"))).toBe(true);
    expect(await received(request)).toHaveLength(1);
  });
}

// ---------------------------------------------------------------------------------------------
// Fault 5: a protocolo and an id sent as bare JSON numbers beyond 2^53 keep every digit.
test("fault 5: bare numbers beyond 2^53 are shown exactly and the success event carries strings", async ({ page, request }) => {
  const body =
    '{"status":"success","msg":"Atendimento aberto.","atendimento":{"id_atendimento":9007199254740993,' +
    '"protocolo":20250926160819577001,"status":"Aguardando Análise","cliente":{"codigo_cliente":1204}}}';
  await queue(request, { status: 200, body, content_type: "application/json" });
  await elementPage(page);
  await recordSuccesses(page);
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText("20250926160819577001");
  await page.waitForFunction(() => window.__success.length === 1);
  const detail = await page.evaluate(() => window.__success[0]);
  expect(detail.protocolo).toBe("20250926160819577001");
  expect(detail.id_atendimento).toBe("9007199254740993");
  expect(detail.atendimento.protocolo).toBe("20250926160819577001");
  expect(detail.atendimento.id_atendimento).toBe("9007199254740993");
  // Safe integers stay numbers.
  expect(detail.atendimento.cliente.codigo_cliente).toBe(1204);
});

// ---------------------------------------------------------------------------------------------
// Fault 1: a field the server names gets the server's sentence under it, linked by
// aria-describedby, for every error shape the classifier reads.
const SERVER_SHAPES = [
  [
    "Hubsoft's HTTP 200 errors[] list",
    { status: 200, body: { status: "error", msg: "Favor preencher", errors: ["O campo e-mail deve ser um endereço válido.", "O campo telefone é obrigatório."] } },
    { email: "O campo e-mail deve ser um endereço válido.", telefone: "O campo telefone é obrigatório." },
  ],
  [
    "a Laravel 422 field map in English",
    { status: 422, body: { message: "The given data was invalid.", errors: { email: ["The email must be a valid email address."], telefone: ["The telefone format is invalid."] } } },
    { email: "The email must be a valid email address.", telefone: "The telefone format is invalid." },
  ],
  [
    "a 400 status:error map of field to sentence",
    { status: 400, body: { status: "error", msg: "Dados inválidos", errors: { email: "Endereço não aceito.", nome: "Nome muito curto." } } },
    { email: "Endereço não aceito.", nome: "Nome muito curto." },
  ],
];

for (const [name, answer, expected] of SERVER_SHAPES) {
  test(`fault 1: ${name}: each named field shows the server's sentence, linked by aria-describedby`, async ({ page, request }) => {
    await queue(request, { status: answer.status, body: JSON.stringify(answer.body), content_type: "application/json" });
    await elementPage(page);
    const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
    await fillCustomer(widget);
    await widget.getByLabel(/e-mail/i).fill("maria@example.com");
    await widget.getByRole("button", { name: "Abrir chamado" }).click();
    await expect(widget.getByRole("alert")).toBeVisible();
    for (const [key, sentence] of Object.entries(expected)) {
      const input = widget.locator(`[name=${key}]`);
      await expect(input).toHaveAttribute("aria-invalid", "true");
      const described = await input.evaluate((el) =>
        (el.getAttribute("aria-describedby") ?? "")
          .split(/\s+/)
          .map((id) => el.getRootNode().getElementById(id)?.textContent ?? "")
          .join(" | "),
      );
      expect(described, key).toContain(sentence);
      // Shown right under the field, in the field's own box.
      await expect(input.locator("xpath=..").locator(".ac-error-text")).toHaveText(sentence);
      await expect(input).toHaveAccessibleDescription(new RegExp(sentence.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    }
    // Editing a field takes its server sentence away (the customer answered it).
    const [firstKey, firstSentence] = Object.entries(expected)[0];
    await widget.locator(`[name=${firstKey}]`).fill("maria.souza@example.com");
    await expect(widget.locator(`[name=${firstKey}]`)).toHaveAttribute("aria-invalid", "false");
    await expect(widget.locator(".ac-field .ac-error-text", { hasText: firstSentence })).toHaveCount(0);
  });
}

// ---------------------------------------------------------------------------------------------
// Fault 6: Backspace over a character the customer typed among the digits deletes only it.
test("fault 6: Backspace over a typed letter or symbol in Telefone deletes only that character (desktop keys)", async ({ page }) => {
  await elementPage(page);
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
  const phone = widget.getByLabel(/telefone/i);
  for (const stray of ["x", "#"]) {
    await phone.fill("");
    await phone.pressSequentially(`3799${stray}`);
    await expect(phone).toHaveValue(`(37) 99${stray}`);
    await phone.press("Backspace");
    await expect(phone).toHaveValue("(37) 99");
  }
  // The mask's own punctuation is still skipped: Backspace right after "(37) " removes the 7.
  await phone.fill("");
  await phone.pressSequentially("379");
  await expect(phone).toHaveValue("(37) 9");
  await phone.press("ArrowLeft");
  await phone.press("Backspace");
  await expect(phone).toHaveValue("(39");
});

test("fault 6: Backspace over a typed symbol with Android's keyCode-229 input events deletes only it", async ({ page }) => {
  await elementPage(page);
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
  const phone = widget.getByLabel(/telefone/i);
  await phone.pressSequentially("37999*");
  await expect(phone).toHaveValue("(37) 999*");
  // Android keyboards send keydown with keyCode 229 (no key), then the edit arrives as an
  // InputEvent whose inputType says what happened.
  await phone.evaluate((el) => {
    el.dispatchEvent(new KeyboardEvent("keydown", { key: "Unidentified", keyCode: 229, bubbles: true, composed: true }));
    el.value = "(37) 999";
    el.setSelectionRange(8, 8);
    el.dispatchEvent(new InputEvent("input", { inputType: "deleteContentBackward", bubbles: true, composed: true }));
    el.dispatchEvent(new KeyboardEvent("keyup", { key: "Unidentified", keyCode: 229, bubbles: true, composed: true }));
  });
  await expect(phone).toHaveValue("(37) 999");
  expect(await phone.evaluate((el) => el.selectionStart)).toBe(8);
});

// ---------------------------------------------------------------------------------------------
// Fault 2: host values that disagree are never replaced silently.
const TWO_SERVICES = [
  { id_cliente_servico: 11000, label: "Fibra 500 Mega – Rua das Flores, 123" },
  { id_cliente_servico: 11001, label: "Fibra 300 Mega – Av. Brasil, 900" },
];

test("fault 2: an id-cliente-servico not among several services preselects nothing, warns, and the customer chooses", async ({ page, request }) => {
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "12000" },
    props: { token: "demo-token", services: TWO_SERVICES },
  });
  const radios = widget.getByRole("radio");
  await expect(radios).toHaveCount(2);
  for (const radio of await radios.all()) await expect(radio).not.toBeChecked();
  expect(warnings.some((w) => w.includes("abrir-chamado") && w.includes("12000"))).toBe(true);
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  // Nothing sent on a guessed contract: the choice is required, said under the group, focused.
  await expect(widget.locator("fieldset .ac-error-text")).toHaveText("Informe o serviço.");
  await expect(radios.first()).toBeFocused();
  expect(await received(request)).toHaveLength(0);
  await widget.getByRole("radio", { name: /Av\. Brasil/ }).check();
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts.map((p) => p.json.id_cliente_servico)).toEqual([11001]);
});

test("fault 2: several services and no id preselect nothing (never the first by default)", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT }, props: { token: "demo-token", services: TWO_SERVICES } });
  await expect(widget.getByRole("radio")).toHaveCount(2);
  await expect(widget.getByRole("radio", { checked: true })).toHaveCount(0);
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator("fieldset .ac-error-text")).toBeVisible();
  expect(await received(request)).toHaveLength(0);
});

test("fault 2: one service given after the customer typed another contract is asked for, never put in its place silently", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT }, props: { token: "demo-token" } });
  await widget.getByLabel(/serviço/i).fill("11001");
  await fillCustomer(widget);
  // The portal's profile arrives: one service, not the contract the customer typed.
  await page.evaluate((services) => (document.getElementById("w").services = services), [TWO_SERVICES[0]]);
  const radio = widget.getByRole("radio", { name: /Rua das Flores/ });
  await expect(radio).not.toBeChecked();
  await expect(widget.locator("fieldset .ac-error-text")).toHaveText("O serviço que você escolheu não está mais disponível. Escolha de novo.");
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  expect(await received(request)).toHaveLength(0);
  await radio.check();
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect((await received(request)).map((p) => p.json.id_cliente_servico)).toEqual([11000]);
});

test("fault 2: one service and nothing typed is preselected and shown as text", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, { attrs: { endpoint: ENDPOINT }, props: { token: "demo-token", services: [TWO_SERVICES[0]] } });
  await expect(widget.getByText(/Rua das Flores/)).toBeVisible();
  await expect(widget.getByRole("radio")).toHaveCount(0);
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect((await received(request)).map((p) => p.json.id_cliente_servico)).toEqual([11000]);
});

test("fault 2: a service id that contradicts the only service, or a locked one not listed, is a configuration error", async ({ page, request }) => {
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await elementPage(page);
  const one = await addElement(page, {
    id: "one",
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "12000" },
    props: { token: "demo-token", services: [TWO_SERVICES[0]] },
  });
  await expect(one.getByRole("alert")).toContainText("id_cliente_servico");
  await expect(one.locator("button[type=submit]")).toHaveCount(0);
  const locked = await addElement(page, {
    id: "locked",
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "12000" },
    props: { token: "demo-token", services: TWO_SERVICES, locked: ["id_cliente_servico"] },
  });
  await expect(locked.getByRole("alert")).toContainText("services");
  expect(errors.filter((e) => e.includes("abrir-chamado")).length).toBeGreaterThanOrEqual(2);
  expect(await received(request)).toHaveLength(0);
});

test("fault 2: a locked field without a usable host value stays editable and the developer is told", async ({ page }) => {
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", nome: "Maria", telefone: "9911-2233" },
    props: { token: "demo-token", locked: ["nome", "telefone"] },
  });
  await expect(widget.getByLabel(/telefone/i)).toBeEditable();
  await expect(widget.locator("[part=locked]")).toHaveCount(1);
  await expect.poll(() => warnings.some((w) => w.includes("\"telefone\""))).toBe(true);
  expect(warnings.some((w) => w.includes("\"nome\""))).toBe(false);
});

test("fault 2: a draft's tipo the host no longer offers is cleared, never sent, and the customer chooses", async ({ page, request }) => {
  const warnings = [];
  page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
  await elementPage(page);
  const tipos = [{ id_tipo_atendimento: 109, label: "Sem acesso à internet" }, { id_tipo_atendimento: 110, label: "Lentidão" }];
  const attrs = { endpoint: ENDPOINT, "id-cliente-servico": "11000", "draft-key": "cliente-7" };
  // A draft saved while the host offered tipo 110.
  let widget = await addElement(page, { attrs, props: { token: "demo-token", tipos } });
  await widget.getByRole("radio", { name: "Lentidão" }).check();
  await widget.getByLabel(/descrição/i).fill("Lento desde ontem.");
  await page.evaluate(() => document.getElementById("w").remove());
  await page.waitForFunction(() => Object.values(localStorage).some((v) => v.includes("Lento desde ontem.")));
  // Later the host offers only 109.
  await page.evaluate(() => {
    // The removed element is gone for good once its grace period is over.
    document.querySelectorAll("abrir-chamado").forEach((e) => e.remove());
  });
  widget = await addElement(page, { id: "w2", attrs, props: { token: "demo-token", tipos: [tipos[0]] } });
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Lento desde ontem.");
  await expect.poll(() => warnings.some((w) => w.includes("id_tipo_atendimento"))).toBe(true);
  await expect(widget.getByRole("radio", { checked: true })).toHaveCount(0);
  await widget.getByLabel(/nome/i).fill("Maria da Silva");
  await widget.getByLabel(/telefone/i).fill("37999112233");
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator("fieldset .ac-error-text")).toHaveText("Escolha o tipo do problema.");
  expect(await received(request)).toHaveLength(0);
  await widget.getByRole("radio", { name: "Sem acesso à internet" }).check();
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect((await received(request)).map((p) => p.json.id_tipo_atendimento)).toEqual([109]);
});
