// The widget in the portals ISPs build (issue 11): React 18, React 19 and Vue 3 apps (built by
// tests/e2e/frameworks/build.mjs from the npm packages, StrictMode on in React's development
// build) and a server-rendered page with attributes only under the strict CSP. The WebAssembly
// is held back (`page.route`) until the app has rendered, forcing the slow-network order where
// the framework sets the options before the widget's code is ready.
import { test, expect } from "@playwright/test";
import { resetMock, received } from "./helpers.mjs";

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});

/** Holds every .wasm response until the returned function is called. */
async function holdWasm(page) {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await gate;
    await route.continue();
  });
  return release;
}

/** Collects console errors (and failed CSP checks, which Chromium logs as errors). */
function consoleErrors(page) {
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(String(e)));
  return errors;
}

const widgetOf = (page) => page.locator("abrir-chamado");
const serviceGroup = (w) => w.getByRole("group", { name: "Serviço" });
const tipoGroup = (w) => w.getByRole("group", { name: "Tipo do problema" });

/**
 * The customer's visit in an app: picks the second service and a type and types while the
 * parent re-renders, the portal's profile arrives (a host option update), the tab is left and
 * reopened (the element unmounted and a new one mounted), and the ticket is filed on the
 * contract the customer chose.
 */
async function fileThroughTheApp(page, request, app) {
  const errors = consoleErrors(page);
  const release = await holdWasm(page);
  await page.goto(`/frameworks/${app}.html`);
  const w = widgetOf(page);
  await expect(w).toHaveCount(1);
  // Rendered by the framework before the widget's code is ready: the options are properties.
  const early = await w.evaluate((el) => ({
    defined: customElements.get("abrir-chamado") !== undefined,
    services: Array.isArray(el.services) && el.services.length,
    provider: typeof el.tokenProvider,
    attributes: el.getAttributeNames().filter((a) => /services|tipos|token/i.test(a)),
  }));
  expect(early).toEqual({ defined: true, services: 2, provider: "function", attributes: [] });
  release();

  await serviceGroup(w).getByRole("radio", { name: /Fibra 300/ }).check();
  await tipoGroup(w).getByRole("radio", { name: "Internet lenta" }).check();
  await w.getByLabel(/descrição/i).pressSequentially("Cai toda noite.");
  await expect(page.getByTestId("renders")).not.toHaveText("0");
  await expect(w.getByLabel(/descrição/i)).toHaveValue("Cai toda noite.");

  // The profile request returns: telefone filled in by the host. The pick stays.
  await page.evaluate(() => window.answerProfile());
  await expect(w.getByLabel(/telefone/i)).toHaveValue("(37) 99911-2233");
  await expect(serviceGroup(w).getByRole("radio", { name: /Fibra 300/ })).toBeChecked();
  await expect(tipoGroup(w).getByRole("radio", { name: "Internet lenta" })).toBeChecked();

  // Another tab and back: a new element, the draft brings everything back, choices included.
  await page.getByRole("button", { name: "Faturas" }).click();
  await expect(w).toHaveCount(0);
  await page.getByRole("button", { name: "Chamado" }).click();
  await expect(w.getByText("Recuperamos o que você tinha escrito antes.")).toBeVisible();
  await expect(w.getByLabel(/descrição/i)).toHaveValue("Cai toda noite.");
  await expect(serviceGroup(w).getByRole("radio", { name: /Fibra 300/ })).toBeChecked();
  await expect(tipoGroup(w).getByRole("radio", { name: "Internet lenta" })).toBeChecked();

  await w.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(w.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const protocolo = await w.locator(".ac-protocolo-value").textContent();
  await expect.poll(() => page.evaluate(() => window.__protocolos)).toEqual([protocolo]);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].headers["authorization"]).toBe("Bearer demo-token");
  expect(posts[0].json).toEqual({
    id_cliente_servico: 11001,
    nome: "Maria da Silva Souza",
    telefone: "37999112233",
    descricao: "Cai toda noite.",
    id_tipo_atendimento: 110,
  });
  // No configuration error, no "token is required", no framework warning turned error.
  expect(errors).toEqual([]);
}

test("React 19: properties and onabrir-chamado:success in JSX, StrictMode, slow wasm, re-renders, tab remount", async ({ page, request }) => {
  await fileThroughTheApp(page, request, "react19");
});

test("React 18: attributes plus properties from useLayoutEffect, addEventListener, StrictMode, slow wasm, tab remount", async ({ page, request }) => {
  await fileThroughTheApp(page, request, "react18");
});

test("Vue 3: isCustomElement, :services as a property, .prop, @abrir-chamado:success, slow wasm, tab remount", async ({ page, request }) => {
  await fileThroughTheApp(page, request, "vue");
});

test("plain HTML/PHP: every option as an attribute (JSON, boolean abrir-os) under the strict CSP", async ({ page, request }) => {
  const errors = consoleErrors(page);
  const release = await holdWasm(page);
  await page.goto("/frameworks/php.html");
  await expect.poll(() => page.evaluate(() => customElements.get("abrir-chamado") !== undefined)).toBe(true);
  release();
  const w = widgetOf(page);
  await expect(w.getByText("Maria da Silva Souza")).toBeVisible();
  await expect(w.getByLabel(/nome/i)).toHaveCount(0);
  await serviceGroup(w).getByRole("radio", { name: /Fibra 300/ }).check();
  await tipoGroup(w).getByRole("radio", { name: "Sem acesso à internet" }).check();
  await w.getByLabel(/descrição/i).fill("Sem sinal desde ontem.");
  await w.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(w.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const [post] = await received(request);
  expect(post.json).toEqual({
    id_cliente_servico: 11001,
    nome: "Maria da Silva Souza",
    telefone: "37999112233",
    descricao: "Sem sinal desde ontem.",
    id_tipo_atendimento: 109,
    abrir_os: true,
    parametros: { origem: "portal-php" },
  });
  expect(errors).toEqual([]);
});

test("plain HTML/PHP: invalid JSON in an attribute is a configuration error naming it", async ({ page }) => {
  const errors = consoleErrors(page);
  await page.goto("/frameworks/php-invalid.html");
  const w = widgetOf(page);
  await expect(w.getByRole("alert")).toContainText('O atributo "services" não é um JSON válido');
  await expect(w.getByRole("button", { name: "Abrir chamado" })).toHaveCount(0);
  expect(errors.some((e) => e.includes('"services"'))).toBe(true);
});

test("a token provider set a moment after the first render is no error; none at submit is told then", async ({ page, request }) => {
  const errors = consoleErrors(page);
  const release = await holdWasm(page);
  await page.goto("/frameworks/late-token.html");
  release();
  const w = widgetOf(page);
  await w.getByLabel(/descrição/i).fill("Sem sinal.");
  await expect.poll(() => w.evaluate((el) => typeof el.tokenProvider)).toBe("function");
  await w.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(w.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  expect(await page.evaluate(() => window.__configErrors)).toBe(0);
  expect(errors).toEqual([]);
  expect(await received(request)).toHaveLength(1);

  // No token at all: the form renders normally and the submit says what is wrong, keeping the text.
  await resetMock(request);
  await page.goto("/frameworks/late-token.html?never");
  await w.getByLabel(/descrição/i).fill("Sem sinal.");
  expect(await page.evaluate(() => window.__configErrors)).toBe(0);
  expect(errors).toEqual([]);
  await w.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(w.getByText(/Não foi possível confirmar o seu acesso ao portal/)).toBeVisible();
  await expect(w.getByLabel(/descrição/i)).toHaveValue("Sem sinal.");
  expect(errors.some((e) => /no "token" or "tokenProvider"/.test(e))).toBe(true);
  expect(await received(request)).toHaveLength(0);
});

test("the customer's picks survive host updates and reloads; a withdrawn one is told and chosen again", async ({ page, request }) => {
  const two = [
    { id_cliente_servico: 11000, label: "Fibra 500 Mega" },
    { id_cliente_servico: 11001, label: "Fibra 300 Mega" },
  ];
  const add = () =>
    page.evaluate((services) => {
      const el = document.createElement("abrir-chamado");
      el.setAttribute("endpoint", location.origin);
      el.setAttribute("nome", "Maria da Silva Souza");
      el.setAttribute("draft-key", "escolhas");
      el.token = "demo-token";
      el.services = services;
      document.getElementById("host").append(el);
    }, two);
  await page.goto("/hosts/element.html");
  await add();
  const w = widgetOf(page);
  await serviceGroup(w).getByRole("radio", { name: "Fibra 300 Mega" }).check();
  await w.getByLabel(/descrição/i).fill("Lenta.");
  // The host fills in the phone and preselects the first service: the customer's pick stays.
  await w.evaluate((el) => {
    el.setAttribute("telefone", "37999112233");
    el.setAttribute("id-cliente-servico", "11000");
  });
  await expect(w.getByLabel(/telefone/i)).toHaveValue("(37) 99911-2233");
  await expect(serviceGroup(w).getByRole("radio", { name: "Fibra 300 Mega" })).toBeChecked();
  // A reload: the draft brings the pick back (not the first service, not nothing).
  await page.reload();
  await add();
  await expect(w.getByText("Recuperamos o que você tinha escrito antes.")).toBeVisible();
  await expect(serviceGroup(w).getByRole("radio", { name: "Fibra 300 Mega" })).toBeChecked();
  // The host stops offering it: the customer is told and must choose; nothing is sent meanwhile.
  await w.evaluate((el) => {
    el.services = [
      { id_cliente_servico: 11000, label: "Fibra 500 Mega" },
      { id_cliente_servico: 11002, label: "Fibra 1 Giga" },
    ];
  });
  await expect(w.getByText("O serviço que você escolheu não está mais disponível. Escolha de novo.")).toBeVisible();
  await expect(serviceGroup(w).getByRole("radio", { checked: true })).toHaveCount(0);
  await w.getByLabel(/telefone/i).fill("37999112233");
  await w.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(serviceGroup(w).getByRole("radio", { name: "Fibra 500 Mega" })).toBeFocused();
  await serviceGroup(w).getByRole("radio", { name: "Fibra 500 Mega" }).check();
  await w.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(w.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  // One POST: the submit without a choice sent nothing.
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  const [post] = posts;
  expect(post.json.id_cliente_servico).toBe(11000);
  expect(post.json.descricao).toBe("Lenta.");
});

test("properties set before the definition are taken over by the element (upgrade), before the wasm is ready", async ({ page, request }) => {
  const release = await holdWasm(page);
  await page.goto("/frameworks/upgrade.html");
  expect(await page.evaluate(() => window.__definedBefore)).toBe(false);
  const w = widgetOf(page);
  // Defined and upgraded while the wasm is still held: the own properties went through the
  // element's setters, which keep them.
  await expect
    .poll(() =>
      w.evaluate((el) => ({
        own: Object.keys(el).filter((k) => k === "services" || k === "tokenProvider"),
        services: el.services?.length,
        provider: typeof el.tokenProvider,
      })),
    )
    .toEqual({ own: [], services: 2, provider: "function" });
  release();
  await serviceGroup(w).getByRole("radio", { name: "Fibra 300 Mega" }).check();
  await w.getByLabel(/descrição/i).fill("Sem sinal.");
  await w.getByRole("button", { name: "Abrir chamado" }).click();
  await expect(w.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const [post] = await received(request);
  expect(post.json.id_cliente_servico).toBe(11001);
});
