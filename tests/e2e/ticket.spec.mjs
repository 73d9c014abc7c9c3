// Issue 2: a customer files a ticket through the built widget against the mock Hubsoft server.
import { test, expect } from "@playwright/test";
import {
  fill,
  formValues,
  installClock,
  mountWidget,
  queue,
  received,
  recordPosts,
  resetMock,
  runTimers,
  submitButton,
  TOKEN,
} from "./helpers.mjs";

const CUSTOMER = {
  servico: " 11000 ",
  nome: "  Maria da Silva Souza ",
  telefone: "+55 (37) 99911-2233",
  email: "",
  descricao: "Sem internet desde ontem à noite.\nJá reiniciei o roteador 2x 😢 \"luz vermelha\"",
};

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});

test("files a ticket and shows the protocolo returned by the mock", async ({ page, request }) => {
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();

  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  const protocolo = (await widget.locator(".ac-protocolo-value").textContent()).trim();
  // The mock's protocolo: its time (14 digits) and its sequence (6).
  expect(protocolo).toMatch(/^\d{20}$/);
  await expect(widget.getByText("Aguardando Análise")).toBeVisible();
  await expect(widget.getByText(/^\d{2}\/\d{2}\/\d{4}$/)).toBeVisible();
  // Focus moved to the confirmation so screen readers announce it.
  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeFocused();

  const posts = await received(request);
  expect(posts).toHaveLength(1);
});

test("the request is checked field by field on the mock's side", async ({ page, request }) => {
  const widget = await mountWidget(page);
  await fill(widget, { ...CUSTOMER, email: " maria@example.com " });
  await submitButton(widget).click();
  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();

  const [post] = await received(request);
  expect(post.method).toBe("POST");
  expect(post.headers["authorization"]).toBe(`Bearer ${TOKEN}`);
  expect(post.headers["accept"]).toBe("application/json");
  expect(post.headers["content-type"]).toBe("application/json");
  expect(post.json).toEqual({
    id_cliente_servico: 11000,
    nome: "Maria da Silva Souza",
    telefone: "37999112233",
    email: "maria@example.com",
    descricao: CUSTOMER.descricao.trim(),
  });
  expect(Number.isInteger(post.json.id_cliente_servico)).toBe(true);
  // Raw body: the integer is a JSON number, not a string.
  expect(post.body).toContain('"id_cliente_servico":11000');
});

test("blank e-mail is omitted and a host-supplied service is sent without the field", async ({ page, request }) => {
  const widget = await mountWidget(page, { id_cliente_servico: 12000, nome: "João Pereira Lima" });
  await expect(widget.getByLabel(/serviço/i)).toHaveCount(0);
  await expect(widget.getByLabel(/nome/i)).toHaveValue("João Pereira Lima");
  await fill(widget, { telefone: "(31) 3221-1234", descricao: "Internet lenta" });
  await submitButton(widget).click();
  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  const [post] = await received(request);
  expect(post.json).toEqual({
    id_cliente_servico: 12000,
    nome: "João Pereira Lima",
    telefone: "3132211234",
    descricao: "Internet lenta",
  });
  expect("email" in post.json).toBe(false);
});

test("a validation error is shown and no request is sent", async ({ page, request }) => {
  await installClock(page);
  const posts = recordPosts(page);
  const widget = await mountWidget(page);
  await fill(widget, { ...CUSTOMER, telefone: "(37) 9911-2233", nome: "   " });
  await submitButton(widget).click();

  const telefone = widget.getByLabel(/telefone/i);
  await expect(telefone).toHaveAttribute("aria-invalid", "true");
  await expect(widget.getByText(/falta o 9/)).toBeVisible();
  await expect(widget.getByLabel(/nome/i)).toHaveAttribute("aria-invalid", "true");
  await expect(widget.getByLabel(/nome/i)).toBeFocused();
  await expect(widget.getByText("Informe o seu nome.")).toBeVisible();
  // Run the timers of the next seconds at once: still no request sent.
  await runTimers(page);
  expect(posts).toHaveLength(0);
  expect(await received(request)).toHaveLength(0);
  await expect(telefone).toHaveValue("(37) 9911-2233");
});

test("validation on blur explains a missing DDD", async ({ page }) => {
  const widget = await mountWidget(page);
  const telefone = widget.getByLabel(/telefone/i);
  await telefone.fill("99911-2233");
  await expect(telefone).toHaveAttribute("aria-invalid", "false");
  await telefone.blur();
  await expect(telefone).toHaveAttribute("aria-invalid", "true");
  await expect(widget.getByText(/DDD/).first()).toBeVisible();
  await telefone.fill("37 9 9911 2233");
  await telefone.blur();
  await expect(telefone).toHaveValue("(37) 99911-2233");
  await expect(telefone).toHaveAttribute("aria-invalid", "false");
});

test("an HTTP-200 status:error answer is shown with the form still filled", async ({ page, request }) => {
  const widget = await mountWidget(page);
  // 99999 is a well-formed id the mock does not know: Hubsoft answers HTTP 200 status "error".
  await fill(widget, { ...CUSTOMER, servico: "99999" });
  const before = await formValues(widget);
  await submitButton(widget).click();

  const alert = widget.getByRole("alert");
  await expect(alert).toContainText("Os dados fornecidos são inválidos");
  await expect(alert).toContainText("O valor selecionado para o campo id cliente servico é inválido.");
  await expect(widget.getByLabel(/serviço/i)).toHaveAttribute("aria-invalid", "true");
  // Exactly as the customer left it (the phone was shown formatted when its field was left).
  expect(await formValues(widget)).toEqual(before);
  expect(before.servico).toBe("99999");
  expect(before.telefone).toBe("(37) 99911-2233");
  expect(before.descricao).toBe(CUSTOMER.descricao);
  await expect(submitButton(widget)).toBeEnabled();
  expect(await received(request)).toHaveLength(1);
});

test("an HTML 502 from the proxy is shown as a clean message", async ({ page, request }) => {
  await queue(request, {
    status: 502,
    content_type: "text/html",
    body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx/1.18.0</center></body></html>",
  });
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();

  const alert = widget.getByRole("alert");
  await expect(alert).toContainText("indisponível no momento (erro 502)");
  const shown = await widget.evaluate((el) => el.shadowRoot.textContent);
  expect(shown).not.toContain("nginx");
  expect(shown).not.toContain("Bad Gateway");
  expect(shown).not.toContain("<");
  await expect(widget.getByLabel(/descrição/i)).toHaveValue(CUSTOMER.descricao);
  expect(await received(request)).toHaveLength(1);
});

test("a double click and Enter while sending send exactly one POST", async ({ page, request }) => {
  // The request is held until the second click and Enter have happened, so they happen while
  // the first is in flight however slow the machine is.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/api/v1/integracao/atendimento", async (route) => {
    await held;
    await route.continue();
  });
  await queue(request, {
    body: {
      status: "success",
      msg: "Atendimento aberto com sucesso.",
      atendimento: { id_atendimento: 4242, protocolo: "20250926160819577001", status: "Aguardando Análise", data_cadastro: "26/09/2025" },
    },
  });
  await installClock(page);
  const posts = recordPosts(page);
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).dblclick();
  await expect(submitButton(widget)).toBeDisabled();
  await widget.getByLabel(/descrição/i).press("Enter");
  await submitButton(widget).click({ force: true }).catch(() => {});
  await runTimers(page);
  expect(posts).toHaveLength(1);
  release();

  await expect(widget.locator(".ac-protocolo-value")).toHaveText("20250926160819577001");
  await runTimers(page);
  expect(posts).toHaveLength(1);
  expect(await received(request)).toHaveLength(1);
});

test("copy button copies the protocolo; another ticket keeps the contact details", async ({ page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  const protocolo = (await widget.locator(".ac-protocolo-value").textContent()).trim();
  await widget.getByRole("button", { name: "Copiar protocolo" }).click();
  await expect(widget.getByText("Protocolo copiado.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(protocolo);

  await widget.getByRole("button", { name: "Abrir outro chamado" }).click();
  await expect(widget.getByLabel(/nome/i)).toHaveValue(CUSTOMER.nome);
  await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
  await expect(widget.getByLabel(/descrição/i)).toBeFocused();
  expect(await received(request)).toHaveLength(1);

  // The next ticket's confirmation starts without the previous copy result.
  await widget.getByLabel(/descrição/i).fill("Continua sem internet.");
  await submitButton(widget).click();
  await expect(widget.getByRole("button", { name: "Copiar protocolo" })).toBeVisible();
  expect(await received(request)).toHaveLength(2);
  await expect(widget.locator(".ac-copy-status")).toHaveText("");
});

test("a 401 is explained and the token never reaches the DOM, storage or URL", async ({ page, request }) => {
  const widget = await mountWidget(page, { token: "token-revogado-123" });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(widget.getByRole("alert")).toContainText("sessão expirou");
  const [post] = await received(request);
  expect(post.headers["authorization"]).toBe("Bearer token-revogado-123");

  const leaks = await page.evaluate(() => {
    const shadow = document.querySelector("#w").shadowRoot.innerHTML;
    return [document.documentElement.outerHTML, shadow, location.href,
      JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie].join("\n");
  });
  expect(leaks).not.toContain("token-revogado-123");
});

test("bad options render a configuration error, in the widget and the console", async ({ page }) => {
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const widget = await mountWidget(page, { endpoint: "http://hubsoft.provedor.com.br", token: "" });
  await expect(widget.getByRole("alert")).toContainText("http://");
  // A missing token is judged at submit (tests/e2e/frameworks.spec.mjs), never when rendering.
  await expect(widget.getByRole("alert")).not.toContainText("token");
  await expect(widget.locator("form")).toHaveCount(0);
  expect(errors.join("\n")).toContain("abrir-chamado:");
});

test("the demo page files a ticket with its own configuration", async ({ page, request }) => {
  // The demo loads the wasm-bindgen glue through Trunk's loader, without the stable entry: the
  // glue's snippet then brings the full element shim.
  const fullShim = page.waitForRequest((r) => r.url().endsWith("/element-full.js"));
  await page.goto("/");
  await fullShim;
  const widget = page.locator("#abrir-chamado");
  // A logged-in customer: the name is locked (shown as text), two services to pick from.
  await expect(widget.getByText("Maria da Silva Souza")).toBeVisible();
  await expect(widget.getByLabel(/nome/i)).toHaveCount(0);
  const services = widget.getByRole("group", { name: "Serviço" });
  await expect(services.getByRole("radio")).toHaveCount(2);
  await expect(services.getByRole("radio").first()).toBeChecked();
  await widget.getByLabel(/descrição/i).fill("Internet caindo toda noite.");
  await submitButton(widget).click();
  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  const [post] = await received(request);
  expect(post.json.id_cliente_servico).toBe(11000);
  expect(post.json.nome).toBe("Maria da Silva Souza");
  expect(post.headers.authorization).toBe("Bearer demo-token");
  // The page's live event log saw the ticket.
  const protocolo = (await widget.locator(".ac-protocolo-value").textContent()).trim();
  await expect(page.locator("body")).toContainText(`Protocolo ${protocolo}`);
});
