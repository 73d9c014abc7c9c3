// Issue 3 (part): the <abrir-chamado> custom element from the stable entry abrir-chamado.js,
// events, token provider, style isolation, strict CSP, several widgets, removal, mount handle.
import { test, expect } from "@playwright/test";
import { axeViolations, installClock, queue, received, resetMock, runTimers, SUCCESS } from "./helpers.mjs";
import { PORT } from "../../playwright.config.mjs";

const ENDPOINT = `http://127.0.0.1:${PORT}`;

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});

/** Opens the element host page and adds <abrir-chamado> elements built by `setup` (in page). */
async function elementPage(page) {
  await page.goto("/hosts/element.html");
  await page.waitForFunction(() => customElements.get("abrir-chamado") !== undefined);
}

/** `provider`: the name of a window function to set as `tokenProvider` before insertion. */
async function addElement(page, { id = "w", attrs = {}, props = {}, provider = null } = {}) {
  await page.evaluate(
    ({ id, attrs, props, provider }) => {
      const el = document.createElement("abrir-chamado");
      el.id = id;
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      for (const [k, v] of Object.entries(props)) el[k] = v;
      if (provider) el.tokenProvider = (...args) => window[provider](...args);
      document.getElementById("host").append(el);
    },
    { id, attrs, props, provider },
  );
  const widget = page.locator(`#${id}`);
  await expect(widget.locator("button[type=submit]")).toBeVisible();
  return widget;
}

/** Records every abrir-chamado:* event reaching `document` (bubbles + composed). */
async function recordEvents(page) {
  await page.evaluate(() => {
    window.__events = [];
    for (const name of ["ready", "submit", "success", "error", "invalid"]) {
      document.addEventListener(`abrir-chamado:${name}`, (e) =>
        window.__events.push({ name, target: e.target.id, detail: JSON.parse(JSON.stringify(e.detail)) }),
      );
    }
  });
}

async function fillCustomer(widget) {
  await widget.getByLabel(/nome/i).fill("Maria da Silva");
  await widget.getByLabel(/telefone/i).fill("37999112233");
  await widget.getByLabel(/descrição/i).fill("Sem internet desde ontem.");
}

test("the element renders in an open shadow root and files a ticket, with events", async ({ page, request }) => {
  await elementPage(page);
  await recordEvents(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" },
    props: { token: "demo-token" },
  });
  expect(await widget.evaluate((el) => el.shadowRoot?.mode)).toBe("open");
  await expect(widget.getByLabel(/serviço/i)).toHaveCount(0);
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  const protocolo = widget.locator(".ac-protocolo-value");
  await expect(protocolo).toHaveText(/^\d{20}$/);

  const events = await page.evaluate(() => window.__events);
  expect(events.map((e) => e.name)).toEqual(["ready", "submit", "success"]);
  expect(events.every((e) => e.target === "w")).toBe(true);
  const success = events[2].detail;
  expect(success.protocolo).toBe(await protocolo.textContent());
  expect(success.id_atendimento).toMatch(/^\d+$/);
  expect(success.atendimento.cliente.nome_razaosocial).toBe("MARIA DA SILVA SOUZA");
  expect(JSON.stringify(events)).not.toContain("demo-token");
  // The token was a property: it is in no attribute and not in the DOM.
  expect(await page.content()).not.toContain("demo-token");
  const [post] = await received(request);
  expect(post.json.id_cliente_servico).toBe(11000);
  expect(await axeViolations(page)).toEqual([]);
});

test("error and invalid events carry a stable kind and field names, never values", async ({ page, request }) => {
  await elementPage(page);
  await recordEvents(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT },
    props: { token: "demo-token" },
  });
  await widget.getByLabel(/telefone/i).fill("99911-2233");
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.getByLabel(/telefone/i)).toHaveAttribute("aria-invalid", "true");
  const names = async () => (await page.evaluate(() => window.__events)).map((e) => e.name);
  await expect.poll(names).toContain("invalid");
  let events = await page.evaluate(() => window.__events);
  const invalid = events.find((e) => e.name === "invalid");
  expect(invalid.detail.fields).toEqual(["id_cliente_servico", "nome", "telefone", "descricao"]);
  expect(JSON.stringify(invalid)).not.toContain("99911");

  await widget.getByLabel(/serviço/i).fill("99999");
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.getByRole("alert")).toContainText("Os dados fornecidos são inválidos");
  await expect.poll(names).toContain("error");
  events = await page.evaluate(() => window.__events);
  const error = events.find((e) => e.name === "error");
  expect(error.detail).toEqual({
    kind: "rejected",
    message: "Não foi possível abrir o chamado: Os dados fornecidos são inválidos",
    status: 200,
  });
  expect(await received(request)).toHaveLength(1);
});

test("changing attributes after mount updates the widget", async ({ page }) => {
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, nome: "Maria" },
    props: { token: "demo-token" },
  });
  await expect(widget.getByLabel(/serviço/i)).toBeVisible();
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria");
  await widget.getByLabel(/descrição/i).fill("Já digitado");
  await page.evaluate(() => {
    const el = document.getElementById("w");
    el.setAttribute("id-cliente-servico", "12000");
    el.setAttribute("nome", "Maria Souza");
  });
  await expect(widget.getByLabel(/serviço/i)).toHaveCount(0);
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria Souza");
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Já digitado");
  // A bad endpoint after mount shows the configuration error.
  await page.evaluate(() => document.getElementById("w").setAttribute("endpoint", "http://hubsoft.example.com"));
  await expect(widget.getByRole("alert")).toContainText("http://");
  await expect(widget.getByLabel(/descrição/i)).toHaveCount(0);
  // Fixed again: the widget comes back, with what was typed (saved as the draft when the
  // error took its place).
  await page.evaluate((e) => document.getElementById("w").setAttribute("endpoint", e), ENDPOINT);
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Já digitado");
  await expect(widget.getByRole("alert")).toHaveCount(0);
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria Souza");
});

test("two widgets on one page work independently; removing one tears it down", async ({ page, request }) => {
  await elementPage(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const a = await addElement(page, { id: "a", attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" }, props: { token: "demo-token" } });
  const b = await addElement(page, { id: "b", attrs: { endpoint: ENDPOINT, "id-cliente-servico": "12000" }, props: { token: "demo-token" } });
  await fillCustomer(a);
  await expect(b.getByLabel(/nome/i)).toHaveValue("");
  await a.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(a.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  await expect(b.locator(".ac-protocolo-value")).toHaveCount(0);
  await expect(b.getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.id_cliente_servico).toBe(11000);

  await page.evaluate(() => document.getElementById("b").remove());
  await expect(page.locator("abrir-chamado")).toHaveCount(1);
  await a.getByRole("button", { name: "Abrir outro chamado" }).click();
  await expect(a.getByLabel(/descrição/i)).toBeFocused();
  expect(errors).toEqual([]);
});

test("a removed element's widget is destroyed and a re-added one works; `ready` says whether it has said ready", async ({ page }) => {
  await elementPage(page);
  await addElement(page, { attrs: { endpoint: ENDPOINT }, props: { token: "demo-token" } });
  // The widget itself, not the first paint shown while its WebAssembly loads.
  await expect(page.locator("#w .ac-root:not([data-first-paint]) button[type=submit]")).toBeVisible();
  // A script that comes after `abrir-chamado:ready` can still tell.
  await expect.poll(() => page.evaluate(() => document.getElementById("w").ready)).toBe(true);
  // A removal that lasts (longer than a move) destroys the widget.
  await page.evaluate(() => {
    window.__removed = document.getElementById("w");
    window.__removed.remove();
  });
  await page.waitForFunction(() => window.__removed.shadowRoot.querySelectorAll("form").length === 0);
  expect(await page.evaluate(() => window.__removed.ready)).toBe(false);
  await page.evaluate(() => document.getElementById("host").append(window.__removed));
  await expect(page.locator("#w").getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.getElementById("w").ready)).toBe(true);
});

test("tokenProvider is called once per submit and once more after a 401, with replay", async ({ page, request }) => {
  await elementPage(page);
  await page.evaluate(() => {
    window.__calls = [];
    const tokens = ["token-vencido", "demo-token"];
    window.__provider = (arg) => {
      window.__calls.push(arg === undefined ? null : arg);
      return Promise.resolve(tokens.shift() ?? "demo-token");
    };
  });
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" },
    provider: "__provider",
  });
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await page.evaluate(() => window.__calls)).toEqual([null, { reason: "unauthorized" }]);
  const posts = await received(request);
  expect(posts.map((p) => p.headers.authorization)).toEqual(["Bearer token-vencido", "Bearer demo-token"]);
  expect(posts[1].body).toBe(posts[0].body);
});

test("a second 401 is a clear failure, and a 403 never asks for a new token", async ({ page, request }) => {
  await elementPage(page);
  await page.evaluate(() => {
    window.__calls = 0;
    window.__provider = () => {
      window.__calls += 1;
      return "sempre-invalido";
    };
  });
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" },
    provider: "__provider",
  });
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.getByRole("alert")).toContainText("sessão expirou");
  expect(await page.evaluate(() => window.__calls)).toBe(2);
  expect(await received(request)).toHaveLength(2);

  await resetMock(request);
  await queue(request, { status: 403, body: { status: "error", msg: "O Usuário não possui a permissão desejada!" } });
  await page.evaluate(() => {
    window.__calls = 0;
    window.__provider = () => {
      window.__calls += 1;
      return "demo-token";
    };
  });
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.getByRole("alert")).toContainText("não tem permissão");
  expect(await page.evaluate(() => window.__calls)).toBe(1);
  expect(await received(request)).toHaveLength(1);
});

test("a token provider that fails sends nothing and says so", async ({ page, request }) => {
  await elementPage(page);
  await page.evaluate(() => (window.__provider = () => Promise.reject(new Error("x"))));
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000" },
    provider: "__provider",
  });
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  // The connection first (a blip on mobile data is the usual cause), the login after.
  await expect(widget.getByRole("alert").locator(".ac-banner-title")).toHaveText(
    "Não foi possível confirmar o seu acesso ao portal. Verifique sua conexão e tente de novo; se continuar, atualize a página e entre de novo.",
  );
  expect(await received(request)).toHaveLength(0);
});

test("hostile page CSS cannot break the widget and widget CSS cannot touch the page", async ({ page, request }) => {
  await page.goto("/hosts/hostile.html");
  const widget = page.locator("#w");
  const submit = widget.getByRole("button", { name: "Abrir chamado" });
  await expect(submit).toBeVisible();
  // Page rules stop at the shadow boundary.
  const look = await widget.evaluate((el) => {
    const root = el.shadowRoot;
    const input = root.querySelector("input[name=nome]");
    const label = root.querySelector("label");
    return {
      inputColor: getComputedStyle(input).color,
      labelVisibility: getComputedStyle(label).visibility,
      buttonDisplay: getComputedStyle(root.querySelector("button[type=submit]")).display,
    };
  });
  expect(look.inputColor).not.toBe("rgb(255, 0, 0)");
  expect(look.labelVisibility).toBe("visible");
  expect(look.buttonDisplay).not.toBe("none");
  // Widget rules do not reach the page's elements that share its class names.
  const pageLook = await page.evaluate(() => ({
    button: getComputedStyle(document.getElementById("page-button")).display,
    paragraphWeight: getComputedStyle(document.getElementById("page-paragraph")).fontWeight,
    styleTags: document.querySelectorAll("style").length,
  }));
  expect(pageLook.button).toBe("none");
  expect(pageLook.paragraphWeight).toBe("400");
  expect(pageLook.styleTags).toBe(0);
  // And it still works.
  await widget.getByLabel(/serviço/i).fill("11000");
  await fillCustomer(widget);
  await submit.click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await received(request)).toHaveLength(1);
});

test("a strict-CSP host page files a ticket without violations", async ({ page, request }) => {
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto("/hosts/csp.html");
  const widget = page.locator("#w");
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await page.evaluate(() => window.__cspViolations)).toEqual([]);
  expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  expect(await received(request)).toHaveLength(1);
});

test("the entry works from another origin (module, wasm and API cross-origin)", async ({ page, request }) => {
  // localhost and 127.0.0.1 are different origins: the page is on one, the widget on the other.
  await page.goto(`http://localhost:${PORT}/hosts/cross-origin.html`);
  await page.waitForFunction(() => customElements.get("abrir-chamado") !== undefined);
  const widget = page.locator("#w");
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const [post] = await received(request);
  expect(post.headers.origin).toBe(`http://localhost:${PORT}`);
  expect(post.json.id_cliente_servico).toBe(13000);
});

/**
 * Mounts the widget with `mount()` from the stable entry into a new #m; the handle is
 * `window.__h`. With `record`, every on* callback pushes `{name, detail}` to `window.__calls`.
 */
async function mountFromEntry(page, options, { record = false } = {}) {
  await elementPage(page);
  await page.evaluate(
    async ({ options, record, endpoint }) => {
      const { mount } = await import("/abrir-chamado.js");
      const el = document.createElement("div");
      el.id = "m";
      document.getElementById("host").append(el);
      window.__calls = [];
      const on = (name) => (detail) => window.__calls.push({ name, detail: JSON.parse(JSON.stringify(detail)) });
      const callbacks = record
        ? { onReady: on("ready"), onSubmit: on("submit"), onSuccess: on("success"), onError: on("error"), onInvalid: on("invalid") }
        : {};
      window.__h = mount(el, { endpoint, token: "demo-token", ...options, ...callbacks });
    },
    { options, record, endpoint: ENDPOINT },
  );
  return page.locator("#m");
}

test("mount() returns a handle with update, reset and destroy", async ({ page }) => {
  const widget = await mountFromEntry(page, { nome: "Ana" });
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Ana");
  await widget.getByLabel(/descrição/i).fill("texto");
  await page.evaluate((endpoint) => window.__h.update({ endpoint, token: "demo-token", nome: "Ana Paula", id_cliente_servico: 11000 }), ENDPOINT);
  await expect(widget.getByLabel(/nome/i)).toHaveValue("Ana Paula");
  await expect(widget.getByLabel(/serviço/i)).toHaveCount(0);
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("texto");
  await page.evaluate(() => window.__h.reset());
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
  await page.evaluate(() => window.__h.destroy());
  await expect(widget.locator("form")).toHaveCount(0);
});

test("services and tipos pickers send the chosen ids; locked fields are text and still sent", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, nome: "Maria da Silva Souza", telefone: "37999112233" },
    props: {
      token: "demo-token",
      services: [
        { id_cliente_servico: 11000, label: "Fibra 500 Mega – Rua das Flores, 123" },
        { id_cliente_servico: 11001, label: "Fibra 300 Mega – Av. Brasil, 900" },
      ],
      tipos: [
        { id_tipo_atendimento: 109, label: "Sem acesso à internet" },
        { id_tipo_atendimento: 110, label: "Internet lenta" },
      ],
      locked: ["nome"],
      abrirOs: true,
      parametros: { origem: "portal", pagina: 2 },
    },
  });
  // Locked: shown as text, not editable.
  await expect(widget.getByLabel(/nome/i)).toHaveCount(0);
  await expect(widget.getByText("Maria da Silva Souza")).toBeVisible();
  // Several services: a radio group with nothing chosen by default (the customer picks).
  const services = widget.getByRole("group", { name: "Serviço" });
  await expect(services.getByRole("radio", { checked: true })).toHaveCount(0);
  await services.getByRole("radio", { name: /Fibra 300/ }).check();
  await widget.getByLabel(/descrição/i).fill("Lenta à noite.");
  // A type is required when offered.
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.getByText("Escolha o tipo do problema.")).toBeVisible();
  const tipos = widget.getByRole("group", { name: "Tipo do problema" });
  await expect(tipos.getByRole("radio", { name: "Sem acesso à internet" })).toBeFocused();
  expect(await received(request)).toHaveLength(0);
  expect(await axeViolations(page)).toEqual([]);
  await tipos.getByRole("radio", { name: "Internet lenta" }).check();
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const [post] = await received(request);
  expect(post.json).toEqual({
    id_cliente_servico: 11001,
    nome: "Maria da Silva Souza",
    telefone: "37999112233",
    descricao: "Lenta à noite.",
    id_tipo_atendimento: 110,
    abrir_os: true,
    parametros: { origem: "portal", pagina: 2 },
  });
});

test("one service is chosen silently and named in the form", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT },
    props: { token: "demo-token", services: [{ id_cliente_servico: 12000, label: "Fibra 200 Mega" }] },
  });
  await expect(widget.getByText("Fibra 200 Mega")).toBeVisible();
  await expect(widget.getByRole("radio")).toHaveCount(0);
  await expect(widget.getByLabel(/serviço/i)).toHaveCount(0);
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const [post] = await received(request);
  expect(post.json.id_cliente_servico).toBe(12000);
  expect("id_tipo_atendimento" in post.json).toBe(false);
});

test("locale switch: every text from one table, labels override keys, unknown falls back to pt-BR", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, locale: "en", "id-cliente-servico": "11000" },
    props: { token: "demo-token" },
  });
  await expect(widget.getByRole("button", { name: "Open ticket" })).toBeVisible();
  await expect(widget.getByLabel("Name")).toBeVisible();
  await expect(widget.getByLabel("Phone")).toBeVisible();
  await expect(widget.getByText("All fields are required except those marked optional.")).toBeVisible();
  expect(await widget.evaluate((el) => el.shadowRoot.querySelector(".ac-widget").lang)).toBe("en");
  // Errors too, in the active locale.
  await widget.getByRole("button", { name: "Open ticket" }).click();
  await expect(widget.getByText("Enter your name.")).toBeVisible();
  await queue(request, { status: 502, content_type: "text/html", body: "<html>bad gateway</html>" });
  await widget.getByLabel("Name").fill("Mary");
  await widget.getByLabel("Phone").fill("37999112233");
  await widget.getByLabel(/description/i).fill("No internet.");
  await widget.getByRole("button", { name: "Open ticket" }).click();
  await expect(widget.getByRole("alert")).toContainText("unavailable right now (error 502)");

  await page.evaluate(() => document.getElementById("w").setAttribute("locale", "es"));
  await expect(widget.getByRole("button", { name: "Abrir solicitud" })).toBeVisible();
  await expect(widget.getByLabel("Nombre")).toHaveValue("Mary");
  await page.evaluate(() => (document.getElementById("w").labels = { submit: "Enviar chamado" }));
  await expect(widget.getByRole("button", { name: "Enviar chamado" })).toBeVisible();
  await page.evaluate(() => {
    const el = document.getElementById("w");
    el.labels = undefined;
    el.setAttribute("locale", "fr");
  });
  await expect(widget.getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await page.evaluate(() => document.getElementById("w").setAttribute("locale", "pt"));
  await expect(widget.getByLabel("Nome")).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test("modal mode: launcher, focus trapped inside, Esc closes, focus returns; open()/close() from script", async ({ page, request }) => {
  await elementPage(page);
  await page.evaluate((endpoint) => {
    const el = document.createElement("abrir-chamado");
    el.id = "w";
    el.setAttribute("endpoint", endpoint);
    el.setAttribute("id-cliente-servico", "11000");
    el.setAttribute("mode", "modal");
    el.token = "demo-token";
    document.getElementById("host").append(el);
  }, ENDPOINT);
  const widget = page.locator("#w");
  const launcher = widget.getByRole("button", { name: "Abrir um chamado" });
  await expect(launcher).toHaveAttribute("aria-expanded", "false");
  await expect(widget.getByRole("dialog")).toHaveCount(0);
  await launcher.focus();
  await page.keyboard.press("Enter");
  const dialog = widget.getByRole("dialog", { name: "Abrir chamado" });
  await expect(dialog).toBeVisible();
  await expect(launcher).toHaveAttribute("aria-expanded", "true");
  expect(await axeViolations(page)).toEqual([]);
  // Tab (and Shift+Tab) never leave the dialog.
  const inside = () =>
    page.evaluate(() => {
      const root = document.getElementById("w").shadowRoot;
      return !!root.activeElement && !!root.activeElement.closest("dialog");
    });
  for (let i = 0; i < 14; i++) {
    await page.keyboard.press("Tab");
    expect(await inside()).toBe(true);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press("Shift+Tab");
    expect(await inside()).toBe(true);
  }
  await dialog.getByLabel(/nome/i).fill("Maria");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(launcher).toBeFocused();
  await expect(launcher).toHaveAttribute("aria-expanded", "false");

  // From script; what was typed is still there.
  await page.evaluate(() => document.getElementById("w").open());
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel(/nome/i)).toHaveValue("Maria");
  await dialog.getByLabel(/telefone/i).fill("37999112233");
  await dialog.getByLabel(/descrição/i).fill("Sem sinal.");
  await dialog.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(dialog.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await received(request)).toHaveLength(1);
  await page.evaluate(() => document.getElementById("w").close());
  await expect(dialog).toBeHidden();
  await expect(launcher).toBeFocused();
});

test("mount() callbacks receive the same details as the events", async ({ page }) => {
  const widget = await mountFromEntry(page, { id_cliente_servico: 11000 }, { record: true });
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const calls = await page.evaluate(() => window.__calls);
  expect(calls.map((c) => c.name)).toEqual(["ready", "invalid", "submit", "success"]);
  expect(calls[1].detail.fields).toEqual(["nome", "telefone", "descricao"]);
  expect(calls[3].detail.protocolo).toBe((await widget.locator(".ac-protocolo-value").textContent()).trim());
});

test("changing draft-key never shows one customer's text to the next; a quick removal keeps the draft", async ({ page }) => {
  await installClock(page);
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", "draft-key": "cliente-1" },
    props: { token: "demo-token" },
  });
  await widget.getByLabel(/descrição/i).fill("Dados privados do cliente 1");
  // Switch customers before the 400 ms debounce: the text must land under cliente-1 only.
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-2"));
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
  await runTimers(page); // past every debounce
  const drafts = await page.evaluate(() => Object.entries(localStorage));
  const keys = drafts.map(([k]) => k);
  expect(keys.some((k) => k.endsWith("|cliente-1"))).toBe(true);
  expect(keys.some((k) => k.endsWith("|cliente-2"))).toBe(false);
  await page.evaluate(() => document.getElementById("w").setAttribute("draft-key", "cliente-1"));
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Dados privados do cliente 1");

  // Removing the element 100 ms after typing still saves what was typed.
  await widget.getByLabel(/descrição/i).fill("Texto digitado agora");
  await page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 100));
    document.getElementById("w").remove();
  });
  await runTimers(page);
  const saved = await page.evaluate(() => Object.values(localStorage).join("\n"));
  expect(saved).toContain("Texto digitado agora");
});

test("another customer (draft-key) or reset() while a ticket is being sent: the next customer gets their own form and never the first one's answer", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", "draft-key": "cliente-1", nome: "Maria" },
    props: { token: "demo-token" },
  });
  await page.evaluate(() => {
    window.__answers = 0;
    document.getElementById("w").addEventListener("abrir-chamado:success", () => window.__answers++);
  });
  for (const [n, change] of [
    [1, () => page.evaluate(() => {
      const w = document.getElementById("w");
      w.setAttribute("draft-key", "cliente-2");
      w.setAttribute("nome", "João");
    })],
    [2, () => page.evaluate(() => document.getElementById("w").reset())],
  ]) {
    // Hubsoft answers the first customer's ticket late.
    await queue(request, { fault: "late", delay_ms: 1500 });
    await widget.getByLabel(/telefone/i).fill("37999112233");
    await widget.getByLabel(/descrição/i).fill("Chamado da Maria: sem sinal.");
    await widget.getByRole("button", { name: "Abrir chamado" }).click();
    await expect(widget.locator("form")).toHaveAttribute("aria-busy", "true");
    await change();
    // At once: the next customer's form, editable, without the first one's text.
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
    await expect(widget.getByLabel(/descrição/i)).toBeEditable();
    // The first customer's answer arrives, and is not shown here.
    await page.waitForFunction((n) => window.__answers === n, n);
    await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toHaveCount(0);
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
    // Nor announced (the status region).
    expect(await widget.evaluate((host) => host.shadowRoot.textContent)).not.toContain("Protocolo");
    const drafts = await page.evaluate(() => Object.values(localStorage).join("\n"));
    expect(drafts).not.toContain("Chamado da Maria");
  }
  expect(await received(request)).toHaveLength(2);
});

test("after a reset() during a send, that send's late answer leaves the next text and the next send's mark alone", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", "draft-key": "cliente-4", nome: "Maria", "idempotency-key": "" },
    props: { token: "demo-token" },
  });
  await page.evaluate(() => {
    window.__answers = 0;
    document.getElementById("w").addEventListener("abrir-chamado:success", () => window.__answers++);
  });
  const stored = () => page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  // The first send is answered late, the second later still.
  await queue(request, [{ fault: "late", delay_ms: 1500 }, { fault: "late", delay_ms: 6000 }]);
  await widget.getByLabel(/telefone/i).fill("37999112233");
  await widget.getByLabel(/descrição/i).fill("Texto do primeiro envio");
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator("form")).toHaveAttribute("aria-busy", "true");
  await page.evaluate(() => document.getElementById("w").reset());
  // The next text, sent at once: its draft and its mark are in storage.
  await widget.getByLabel(/telefone/i).fill("37999112244");
  await widget.getByLabel(/descrição/i).fill("Texto do segundo envio");
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator("form")).toHaveAttribute("aria-busy", "true");
  await expect.poll(stored).toContain("Texto do segundo envio");
  expect(await stored()).toContain("abrir-chamado:envio:");
  // The first send's answer arrives: the second's draft and mark stay.
  await page.waitForFunction(() => window.__answers === 1);
  const after = await stored();
  expect(after).toContain("Texto do segundo envio");
  expect(after).toContain("abrir-chamado:envio:");
  // The second's own answer settles them.
  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible({ timeout: 15000 });
  await expect.poll(stored).not.toContain("abrir-chamado:envio:");
});

test("a draft keeps what the customer typed, and the portal's newer contact details win over the ones it had given", async ({ page }) => {
  await elementPage(page);
  const attrs = { endpoint: ENDPOINT, "id-cliente-servico": "11000", "draft-key": "cliente-3" };
  let widget = await addElement(page, {
    attrs: { ...attrs, telefone: "37999112233", email: "ana@velho.com" },
    props: { token: "demo-token" },
  });
  await widget.getByLabel(/descrição/i).fill("Sem sinal desde ontem.");
  await page.evaluate(() => document.getElementById("w").remove()); // the draft is saved
  await expect.poll(() => page.evaluate(() => Object.values(localStorage).join("\n"))).toContain("Sem sinal desde ontem.");
  // The next visit: the portal has the customer's new phone and e-mail.
  widget = await addElement(page, {
    attrs: { ...attrs, telefone: "31988776655", email: "ana@novo.com" },
    props: { token: "demo-token" },
  });
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("Sem sinal desde ontem.");
  await expect(widget.getByLabel(/telefone/i)).toHaveValue("(31) 98877-6655");
  await expect(widget.getByLabel(/e-mail/i)).toHaveValue("ana@novo.com");
});

test("a logout that clears storage right after removing the element leaves no draft behind", async ({ page }) => {
  await installClock(page);
  await elementPage(page);
  const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("abrir-chamado")));
  // The element: typed, then removed and storage cleared in the same task, within the debounce.
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", "draft-key": "cliente-9" },
    props: { token: "demo-token" },
  });
  await widget.getByLabel(/descrição/i).fill("Texto de quem vai sair");
  await page.evaluate(() => {
    document.getElementById("w").remove();
    localStorage.clear();
  });
  await runTimers(page); // past every debounce
  expect(await drafts()).toEqual([]);
});

test("mount(): saveDraft() writes the pending draft at once; destroy() then a storage clear leaves nothing", async ({ page }) => {
  await installClock(page);
  const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("abrir-chamado")));
  const m = await mountFromEntry(page, { id_cliente_servico: 11000 });
  await m.getByLabel(/descrição/i).fill("Salvo já");
  expect(await page.evaluate(() => Object.values(localStorage).join("\n"))).not.toContain("Salvo já");
  await page.evaluate(() => window.__h.saveDraft());
  expect(await page.evaluate(() => Object.values(localStorage).join("\n"))).toContain("Salvo já");
  await m.getByLabel(/descrição/i).fill("Ainda não salvo");
  await page.evaluate(() => {
    window.__h.destroy();
    localStorage.clear();
  });
  await runTimers(page); // past every debounce
  expect(await drafts()).toEqual([]);
});

test("reset() then destroy() in the same task deletes the draft, saved or pending", async ({ page }) => {
  await installClock(page);
  const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("abrir-chamado")));
  const m = await mountFromEntry(page, { id_cliente_servico: 11000, draft_key: "cliente-7" });
  await m.getByLabel(/descrição/i).fill("Já salvo");
  await expect.poll(drafts).toHaveLength(1);
  await m.getByLabel(/descrição/i).fill("Ainda pendente");
  await page.evaluate(() => {
    window.__h.reset();
    window.__h.destroy();
  });
  await runTimers(page); // past every debounce
  expect(await drafts()).toEqual([]);
});

test("properties set right after inserting the element are there from the first render (no false configuration error)", async ({ page }) => {
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await elementPage(page);
  await page.evaluate((endpoint) => {
    const el = document.createElement("abrir-chamado");
    el.id = "late";
    el.setAttribute("endpoint", endpoint);
    document.getElementById("host").append(el);
    el.tokenProvider = async () => "demo-token";
  }, ENDPOINT);
  await expect(page.locator("#late").getByRole("button", { name: "Abrir chamado" })).toBeVisible();
  await expect(page.locator("#late").getByRole("alert")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a server echoing the token never shows it: inside a long sentence, in another case, or in a success body", async ({ page, request }) => {
  const token = "Tk.AbC+d/e=XyZ_123";
  const m = await mountFromEntry(page, { id_cliente_servico: 11000, token });
  // The mock only accepts demo-token; let it answer whatever is queued regardless.
  await queue(request, [
    { body: { status: "error", msg: `${"x".repeat(283)}${token} fim`, errors: [`Bearer ${token.toUpperCase()} recusado`] } },
    { body: { ...SUCCESS, atendimento: { ...SUCCESS.atendimento, status: `aberto ${token}` } } },
  ]);
  await fillCustomer(m);
  await m.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(m.getByRole("alert")).toContainText("[token]");
  let text = await m.evaluate((el) => el.shadowRoot.textContent);
  expect(text.toLowerCase()).not.toContain("tk.abc");
  await m.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(m.locator(".ac-protocolo-value")).toBeVisible();
  text = await m.evaluate((el) => el.shadowRoot.textContent);
  expect(text).toContain("aberto [token]");
  expect(text.toLowerCase()).not.toContain("tk.abc");
});

test("locked and tipos set after the first render apply at once", async ({ page, request }) => {
  await elementPage(page);
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", nome: "Maria", telefone: "37999112233" },
    props: { token: "demo-token" },
  });
  await expect(widget.getByLabel(/nome/i)).toBeVisible();
  await page.evaluate(() => {
    const el = document.getElementById("w");
    el.locked = ["nome", "telefone"];
    el.tipos = [{ id_tipo_atendimento: 109, label: "Sem acesso à internet" }];
  });
  await expect(widget.getByLabel(/nome/i)).toHaveCount(0);
  await expect(widget.getByLabel(/telefone/i)).toHaveCount(0);
  await widget.getByLabel(/descrição/i).fill("x");
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.getByText("Escolha o tipo do problema.")).toBeVisible();
  expect(await received(request)).toHaveLength(0);
  await widget.getByRole("radio", { name: "Sem acesso à internet" }).check();
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const [post] = await received(request);
  expect(post.json).toMatchObject({ nome: "Maria", telefone: "37999112233", id_tipo_atendimento: 109 });
});

test("a non-ASCII token is a configuration error; a provider that never answers times out", async ({ page, request }) => {
  await elementPage(page);
  await page.evaluate((endpoint) => {
    const el = document.createElement("abrir-chamado");
    el.id = "bad";
    el.setAttribute("endpoint", endpoint);
    el.token = "demo-token\u200b";
    document.getElementById("host").append(el);
  }, ENDPOINT);
  await expect(page.locator("#bad").getByRole("alert")).toContainText("ASCII");

  await page.evaluate(() => (window.__provider = () => new Promise(() => {})));
  const widget = await addElement(page, {
    attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", "timeout-ms": "1500" },
    provider: "__provider",
  });
  await fillCustomer(widget);
  await widget.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(widget.getByRole("alert")).toContainText("confirmar o seu acesso", { timeout: 5000 });
  await expect(widget.getByRole("button", { name: "Abrir chamado" })).toBeEnabled();
  expect(await received(request)).toHaveLength(0);
});

test("each way a token provider fails is told to the developer in the console, with the error's name but never its message or value", async ({ page, request }) => {
  const warnings = [];
  const everything = [];
  page.on("console", (m) => {
    everything.push(m.text());
    if (m.type() === "warning") warnings.push(m.text());
  });
  await elementPage(page);
  const cases = [
    ["() => { throw new Error('boom segredo'); }", "tokenProvider threw (Error)"],
    ["() => Promise.reject(new SyntaxError('segredo'))", "tokenProvider rejected (SyntaxError)"],
    ["() => fetch('http://127.0.0.1:9/token').then((r) => r.text())", "tokenProvider rejected (TypeError)"],
    ["() => Promise.reject('segredo')", "tokenProvider rejected"],
    ["() => Promise.reject({ name: 'segredo value' })", "tokenProvider rejected"],
    ["() => 12345", "tokenProvider gave no usable token"],
    ["() => 'abc def-segredo'", "tokenProvider gave no usable token"],
    ["() => new Promise(() => {})", "tokenProvider gave no token within 1000 ms"],
  ];
  for (const [i, [source, want]] of cases.entries()) {
    await page.evaluate((source) => (window.__provider = eval(source)), source);
    const widget = await addElement(page, {
      id: `p${i}`,
      attrs: { endpoint: ENDPOINT, "id-cliente-servico": "11000", "timeout-ms": "1000" },
      provider: "__provider",
    });
    await fillCustomer(widget);
    await widget.getByRole("button", { name: "Abrir chamado" }).click();
    await expect(widget.getByRole("alert")).toContainText("confirmar o seu acesso", { timeout: 5000 });
    const said = warnings.filter((w) => w.includes("tokenProvider")).map((w) => w.replace(/ \(a non-empty.*$/, ""));
    expect(said, source).toEqual([`abrir-chamado: ${want}`]);
    warnings.length = 0;
  }
  expect(everything.some((t) => t.includes("tokenProvider"))).toBe(true);
  expect(everything.join("\n")).not.toContain("segredo");
  expect(await received(request)).toHaveLength(0);
});

test("theming: custom properties from the host, dark by system preference, theme attribute forces", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await elementPage(page);
  const auto = await addElement(page, { id: "auto", attrs: { endpoint: ENDPOINT }, props: { token: "demo-token" } });
  const light = await addElement(page, { id: "light", attrs: { endpoint: ENDPOINT, theme: "light" }, props: { token: "demo-token" } });
  const bg = (w) => w.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector(".ac-widget")).backgroundColor);
  expect(await bg(auto)).toBe("rgb(27, 27, 31)");
  expect(await bg(light)).toBe("rgb(255, 255, 255)");
  await page.evaluate(() => document.getElementById("light").style.setProperty("--abrir-chamado-primary", "rgb(200, 0, 100)"));
  const button = await light.evaluate((el) => getComputedStyle(el.shadowRoot.querySelector("button[type=submit]")).backgroundColor);
  expect(button).toBe("rgb(200, 0, 100)");
  expect(await axeViolations(page, "#auto")).toEqual([]);
});
