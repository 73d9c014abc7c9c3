// Every way a submission can fail (`docs/hubsoft-api.md` §2 "Failures"), driven through the built widget
// against the mock Hubsoft server, plus the accessibility of each state (axe-core), a
// keyboard-only ticket and a 320 px wide screen.
//
// For every failure the test checks: the Portuguese message of src/core/error.rs in the
// role=alert banner, the form kept exactly as the customer left it, the number of POSTs (one:
// never an automatic retry), no server internals or HTML on screen, and no axe violation.
import { test, expect } from "@playwright/test";
import {
  SUCCESS,
  axeViolations,
  expectNoAxeViolations,
  fill,
  formValues,
  installClock,
  mountWidget,
  nextFrame,
  queue,
  received,
  recordPosts,
  resetMock,
  runTimers,
  shadowText,
  submitButton,
} from "./helpers.mjs";

// Values a customer could leave in the form: spaces, a line break, accents, an emoji, quotes.
// The phone is already in the widget's display format so blurring it does not change it.
const CUSTOMER = {
  servico: " 11000 ",
  nome: "  Maria da Silva Souza ",
  telefone: "(37) 99911-2233",
  email: " maria@example.com ",
  descricao: "Sem internet desde ontem à noite.\nJá reiniciei o roteador 2x 😢 \"luz vermelha\"",
};

// Field key in formValues → the input's name attribute.
const NAMES = {
  servico: "id_cliente_servico",
  nome: "nome",
  telefone: "telefone",
  email: "email",
  descricao: "descricao",
};


/** The body nginx sends for an error status (as Ubuntu's nginx package does). */
function nginxPage(status, reason) {
  return (
    `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n` +
    `<center><h1>${status} ${reason}</h1></center>\r\n` +
    `<hr><center>nginx/1.18.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n`
  );
}

/** The words of an HTML body (tag names and text), digits-only tokens left out. */
function htmlWords(html) {
  return [...new Set(html.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? [])];
}

const MAY_EXIST = "O chamado pode ter sido aberto mesmo assim";
const KEPT = "Tudo o que você escreveu continua no formulário.";

/**
 * One failure row:
 * - `queued`: the mock's answer (omitted when the request never reaches the mock),
 * - `options`: extra mount options,
 * - `shown`: phrases the alert banner must contain,
 * - `absent`: strings that must not appear anywhere in the widget,
 * - `html`: the HTML body, whose markup and words must not appear,
 * - `invalid`: fields that must be marked aria-invalid=true (all others false),
 * - `posts`: POSTs the mock must have received (default 1).
 */
const STATUS_5XX = [
  [500, "Internal Server Error"],
  [502, "Bad Gateway"],
  [503, "Service Temporarily Unavailable"],
  [504, "Gateway Time-out"],
  [522, "Connection timed out"],
];

const ROWS = [
  {
    name: "HTTP 200 status:error with errors[] shows msg and errors and marks the named field",
    queued: {
      body: {
        status: "error",
        msg: "Favor preencher os campos obrigatórios de acordo com as especificações",
        errors: ["O campo telefone é obrigatório."],
      },
    },
    shown: [
      "Não foi possível abrir o chamado: Favor preencher os campos obrigatórios de acordo com as especificações",
      "O campo telefone é obrigatório.",
      KEPT,
    ],
    absent: ['"status"', '"errors"', "{"],
    invalid: ["telefone"],
  },
  {
    name: "HTTP 200 status:error without errors shows msg and marks no field",
    queued: { body: { status: "error", msg: "Produto de ID 1 não encontrado" } },
    shown: ["Não foi possível abrir o chamado: Produto de ID 1 não encontrado", KEPT],
    absent: ['"status"', "{", MAY_EXIST],
    invalid: [],
  },
  {
    name: "HTTP 200 status:error leaking file/line/trace shows none of them",
    queued: {
      body: {
        status: "error",
        msg: "Os dados fornecidos são inválidos",
        errors: ["O valor selecionado para o campo id cliente servico é inválido."],
        file: "/var/www/hubsoft/app/Http/Controllers/Integracao/AtendimentoController.php",
        line: 214,
        trace: [{ file: "/var/www/hubsoft/vendor/laravel/framework/src/Illuminate/Routing/Controller.php", line: 54, function: "callAction" }],
      },
    },
    shown: [
      "Não foi possível abrir o chamado: Os dados fornecidos são inválidos",
      "O valor selecionado para o campo id cliente servico é inválido.",
    ],
    absent: ["/var/www", "Controller", ".php", "214", "callAction", "Illuminate", "trace", "{"],
    invalid: ["servico"],
  },
  {
    name: "Laravel-style 422 with a field map shows its sentence and marks the field",
    queued: {
      status: 422,
      body: { message: "The given data was invalid.", errors: { telefone: ["O campo telefone é obrigatório."] } },
    },
    shown: ["Não foi possível abrir o chamado", "O campo telefone é obrigatório.", KEPT],
    absent: ['"errors"', '"telefone"', "{", "["],
    invalid: ["telefone"],
  },
  {
    name: "401 says the session expired",
    queued: { status: 401, body: { message: "Unauthenticated." } },
    shown: ["Sua sessão expirou ou não foi autorizada", KEPT],
    absent: ["Unauthenticated", "{"],
    invalid: [],
  },
  {
    name: "422 from the gateway with its reason and no sentence shows the reason",
    queued: { status: 422, body: { status: "error", msg: "Cliente bloqueado por inadimplência", errors: [] } },
    shown: ["Não foi possível abrir o chamado: Cliente bloqueado por inadimplência", KEPT],
    absent: ["Confira os dados", "{", MAY_EXIST],
    invalid: [],
  },
  {
    name: "403 from the gateway for a service outside the token shows its reason and marks the service",
    queued: {
      status: 403,
      body: {
        status: "error",
        msg: "Este serviço não pertence à sua conta.",
        errors: ["O campo serviço deve ser um dos serviços da sua conta."],
      },
    },
    shown: ["Não foi possível abrir o chamado: Este serviço não pertence à sua conta.", "O campo serviço deve ser um dos serviços da sua conta.", KEPT],
    absent: ["não tem permissão", "{", MAY_EXIST],
    invalid: ["servico"],
  },
  {
    name: "403 shows our own text, not the server's msg",
    queued: { status: 403, body: { status: "error", msg: "O Usuário não possui a permissão desejada!" } },
    shown: ["Este portal não tem permissão para abrir chamados", KEPT],
    absent: ["O Usuário não possui a permissão desejada!", "permissão desejada", "{"],
    invalid: [],
  },
  {
    name: "404 with an nginx HTML page says the service was not found",
    queued: { status: 404, content_type: "text/html", body: nginxPage(404, "Not Found") },
    html: nginxPage(404, "Not Found"),
    shown: ["O serviço de chamados não foi encontrado", KEPT],
    absent: [MAY_EXIST],
    invalid: [],
  },
  {
    name: "429 asks the customer to wait",
    queued: { status: 429, body: { message: "Too Many Attempts." } },
    shown: ["Muitas tentativas em pouco tempo. Aguarde", KEPT],
    absent: ["Too Many Attempts", "{"],
    invalid: [],
  },
  ...STATUS_5XX.flatMap(([status, reason]) => {
    // 500: after the insert; a proxy's 502/503/504: maybe after the app's work; Cloudflare's
    // 522: the origin was never reached.
    const mayExist = status !== 522;
    const common = {
      shown: [`O sistema do provedor está indisponível no momento (erro ${status})`, ...(mayExist ? [MAY_EXIST] : []), KEPT],
      absent: mayExist ? [] : [MAY_EXIST],
      invalid: [],
    };
    return [
      {
        name: `${status} with an nginx HTML body is a clean message`,
        queued: { status, content_type: "text/html", body: nginxPage(status, reason) },
        html: nginxPage(status, reason),
        ...common,
      },
      {
        name: `${status} with an empty body is a clean message`,
        queued: { status, body: "" },
        ...common,
      },
    ];
  }),
  {
    name: "HTTP 200 that is not JSON (text/html) is not understood and may have opened the ticket",
    queued: { status: 200, content_type: "text/html", body: "<html>OK</html>" },
    html: "<html>OK</html>",
    shown: ["O sistema do provedor deu uma resposta que não entendemos.", MAY_EXIST, KEPT],
    absent: ["Chamado aberto!"],
    invalid: [],
  },
  {
    name: "HTTP 200 that is not JSON (labelled application/json) is not understood",
    queued: { status: 200, body: "<html>OK</html>" },
    html: "<html>OK</html>",
    shown: ["O sistema do provedor deu uma resposta que não entendemos.", MAY_EXIST, KEPT],
    absent: ["Chamado aberto!"],
    invalid: [],
  },
  {
    name: "HTTP 200 status:success without atendimento is not a success",
    queued: { status: 200, body: { status: "success", msg: "ok" } },
    shown: ["O sistema do provedor deu uma resposta que não entendemos.", MAY_EXIST, KEPT],
    absent: ["Chamado aberto!", "Protocolo", '"status"', "{"],
    invalid: [],
  },
  {
    name: "a network failure (nothing listens) asks to check the connection and sends nothing to the mock",
    options: { endpoint: "http://127.0.0.1:9" },
    shown: ["Não foi possível falar com o sistema do provedor. Verifique sua conexão", KEPT],
    // Whether the "may have been opened" warning follows is error.rs's call (a dropped
    // connection can happen after the server got the POST), so it is not checked here.
    absent: ["127.0.0.1", "Failed to fetch", "TypeError", "ERR_"],
    invalid: [],
    posts: 0,
  },
];

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});

/** Fills the form, submits, and waits until the failure banner is up and the form usable again. */
async function submitAndFail(page, request, row) {
  if (row.queued) await queue(request, row.queued);
  await installClock(page);
  const posts = recordPosts(page);
  const widget = await mountWidget(page, row.options ?? {});
  await fill(widget, CUSTOMER);
  const before = await formValues(widget);
  await submitButton(widget).click();
  const alert = widget.getByRole("alert");
  await expect(alert).toBeVisible();
  await expect(submitButton(widget)).toBeEnabled();
  return { widget, alert, before, posts };
}


for (const row of ROWS) {
  test(`failure: ${row.name}`, async ({ page, request }) => {
    const { widget, alert, before, posts } = await submitAndFail(page, request, row);

    // (1) The message.
    for (const phrase of row.shown) await expect(alert).toContainText(phrase);
    await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toHaveCount(0);

    // (2) The form exactly as the customer left it, and the fields the server named marked.
    expect(await formValues(widget)).toEqual(before);
    for (const [key, name] of Object.entries(NAMES)) {
      const want = row.invalid.includes(key) ? "true" : "false";
      await expect(widget.locator(`[name=${name}]`), `aria-invalid of ${name}`).toHaveAttribute("aria-invalid", want);
    }

    // (3) Exactly one POST sent (none reaches the mock when the network failed), and none
    // later either (any timer due in the next seconds runs now): never an automatic retry.
    await runTimers(page);
    expect(posts).toHaveLength(1);
    expect(await received(request)).toHaveLength(row.posts ?? 1);

    // (4) No server internals, raw JSON or HTML on screen.
    const shown = await shadowText(widget);
    for (const s of row.absent) expect(shown, `must not show ${JSON.stringify(s)}`).not.toContain(s);
    if (row.html) {
      expect(await widget.evaluate((host) => host.shadowRoot.textContent)).not.toContain("<");
      for (const word of htmlWords(row.html)) {
        expect(shown, `must not show the HTML's word ${JSON.stringify(word)}`).not.toMatch(new RegExp(`\\b${word}\\b`, "i"));
      }
    }

    // (5) Accessible.
    await expectNoAxeViolations(page);
  });
}

test("failure: markup in server text is never shown and never runs; its sentences are", async ({ page, request }) => {
  const msg = 'Cadastro <b>bloqueado</b><img src=x onerror="window.__xss=1">';
  const error = "<script>window.__xss=2</script>Telefone inválido<br/>";
  const { widget, alert, before } = await submitAndFail(page, request, {
    queued: { body: { status: "error", msg, errors: [error] } },
  });
  await expect(alert).toContainText("Não foi possível abrir o chamado: Cadastro bloqueado");
  await expect(alert).toContainText("Telefone inválido");
  expect(await alert.textContent()).not.toMatch(/[<>]/);
  expect(await formValues(widget)).toEqual(before);
  // An injected handler would run once the image failed to load: give it every chance (the next
  // frame, and the timers of the next seconds) before checking it never ran.
  await nextFrame(page);
  await runTimers(page);
  expect(await page.evaluate(() => typeof window.__xss)).toBe("undefined");
  expect(await widget.evaluate((host) => host.shadowRoot.querySelectorAll("img, script").length)).toBe(0);
  expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
  expect(await received(request)).toHaveLength(1);
  await expectNoAxeViolations(page);
});

test.describe("axe-core on every state", () => {
  test("the empty form", async ({ page }) => {
    const widget = await mountWidget(page);
    await expect(submitButton(widget)).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("the form with validation errors after a blank submit", async ({ page, request }) => {
    const widget = await mountWidget(page);
    await submitButton(widget).click();
    await expect(widget.locator("[name=descricao]")).toHaveAttribute("aria-invalid", "true");
    await expect(widget.locator("[name=nome]")).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);
    expect(await received(request)).toHaveLength(0);
  });

  test("the success confirmation", async ({ page }) => {
    const widget = await mountWidget(page);
    await fill(widget, CUSTOMER);
    await submitButton(widget).click();
    await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("the submitting state (button disabled while the request is in flight)", async ({ page, request }) => {
    await queue(request, { body: SUCCESS });
    // The request is held until axe has run, however long that takes.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route("**/api/v1/integracao/atendimento", async (route) => {
      await held;
      await route.continue();
    });
    const widget = await mountWidget(page);
    await fill(widget, CUSTOMER);
    await submitButton(widget).click();
    await expect(submitButton(widget)).toBeDisabled();
    const violations = await axeViolations(page);
    // The check really ran on the submitting state.
    await expect(submitButton(widget)).toBeDisabled();
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    release();
    await expect(widget.locator(".ac-protocolo-value")).toHaveText(SUCCESS.atendimento.protocolo);
  });
});

test("a 429 with Retry-After says how long to wait, in minutes, and keeps the form", async ({ page, request }) => {
  // The gateway's hourly limit: Retry-After up to an hour (RFC 9110 delay-seconds).
  await page.route("**/api/v1/integracao/atendimento", (route) =>
    route.fulfill({
      status: 429,
      headers: { "retry-after": "2087", "content-type": "application/json" },
      body: JSON.stringify({ status: "error", msg: "Você já abriu muitos chamados nesta hora.", errors: [] }),
    }),
  );
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(widget.getByRole("alert")).toContainText("Tente de novo em cerca de 35 minutos");
  const kept = await formValues(widget);
  expect(kept.descricao).toBe(CUSTOMER.descricao);
  expect(await received(request)).toHaveLength(0);
});

test("keyboard: the focus stays in the field or on 'Abrir chamado' while the ticket is sent and after a failure", async ({ page, request }) => {
  // An answer that opened nothing (the origin never reached), so a second press sends again.
  const unavailable = { status: 522, delay_ms: 600, content_type: "text/html", body: nginxPage(522, "Connection timed out") };
  await queue(request, [unavailable, unavailable]);
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  // Enter in a field: the field keeps the focus, read-only while the ticket is sent.
  const nome = widget.getByLabel(/nome/i);
  await nome.press("Enter");
  await expect(widget.locator("form")).toHaveAttribute("aria-busy", "true");
  await expect(nome).toBeFocused();
  await expect(nome).not.toBeEditable();
  await expect(widget.getByRole("alert")).toBeVisible();
  await expect(nome).toBeFocused();
  await expect(nome).toBeEditable();
  // Enter on the button: the button keeps the focus (aria-disabled, not disabled).
  await submitButton(widget).focus();
  await page.keyboard.press("Enter");
  await expect(widget.locator("form")).toHaveAttribute("aria-busy", "true");
  await expect(submitButton(widget)).toBeFocused();
  await expect(submitButton(widget)).toHaveAttribute("aria-disabled", "true");
  // A second press while it is sent sends nothing more.
  await page.keyboard.press("Enter");
  await expect(widget.locator("form")).not.toHaveAttribute("aria-busy", "true");
  await expect(submitButton(widget)).toBeFocused();
  await expect(submitButton(widget)).toBeEnabled();
  expect(await received(request)).toHaveLength(2);
  const kept = await formValues(widget);
  expect([kept.nome, kept.descricao]).toEqual([CUSTOMER.nome, CUSTOMER.descricao]);
});

test("keyboard only: Tab through the fields, type, press Enter on the button, see the protocolo", async ({ page, request }) => {
  const widget = await mountWidget(page);
  await expect(submitButton(widget)).toBeVisible();
  // What has focus: the name (or tag) of the focused control inside #w, else null.
  const focused = () =>
    page.evaluate(() => {
      const host = document.activeElement;
      if (host?.id !== "w") return null;
      const el = host.shadowRoot.activeElement;
      return el ? el.getAttribute("name") ?? el.tagName.toLowerCase() : null;
    });
  // Tab from the top of the page until the widget's first field has focus.
  for (let i = 0; i < 25 && (await focused()) !== "id_cliente_servico"; i++) await page.keyboard.press("Tab");
  expect(await focused()).toBe("id_cliente_servico");

  const typed = [
    ["id_cliente_servico", "11000"],
    ["nome", "Maria da Silva Souza"],
    ["telefone", "37 99911-2233"],
    ["email", "maria@example.com"],
    ["descricao", "Sem internet desde ontem."],
  ];
  for (const [i, [name, text]] of typed.entries()) {
    if (i > 0) await page.keyboard.press("Tab");
    expect(await focused()).toBe(name);
    await page.keyboard.type(text);
  }
  await page.keyboard.press("Tab");
  expect(await focused()).toBe("button");
  await expect(submitButton(widget)).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(widget.getByRole("heading", { name: "Chamado aberto!" })).toBeVisible();
  await expect(widget.locator(".ac-protocolo-value")).toHaveText(/^\d{20}$/);
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json).toEqual({
    id_cliente_servico: 11000,
    nome: "Maria da Silva Souza",
    telefone: "37999112233",
    email: "maria@example.com",
    descricao: "Sem internet desde ontem.",
  });
});

test.describe("320 px wide screen", () => {
  test.beforeEach(async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
  });

  /** Asserts no horizontal scroll and every control of #w inside 0–320 px. */
  async function expectFits(page, widget, when) {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `${when}: document.documentElement.scrollWidth`).toBeLessThanOrEqual(320);
    const controls = widget.locator("input, textarea, button");
    const count = await controls.count();
    expect(count).toBeGreaterThan(0);
    const outside = [];
    for (let i = 0; i < count; i++) {
      const c = controls.nth(i);
      const box = await c.boundingBox();
      if (!box) continue; // not rendered
      if (box.x < 0 || box.x + box.width > 320.5) {
        const name = await c.evaluate((el) => el.getAttribute("name") ?? el.textContent.trim());
        outside.push({ control: name, x: box.x, right: box.x + box.width });
      }
    }
    expect(outside, `${when}: controls outside the 320 px viewport`).toEqual([]);
  }

  /**
   * Every target the customer can press or type in (buttons, fields, the labels of the radio
   * choices, which are what a finger hits) is at least 44×44 CSS px, as the README promises
   * (WCAG 2.2 SC 2.5.5, Target Size (Enhanced)).
   */
  async function expectTargets44(widget, when) {
    const targets = widget.locator("button, input:not([type=radio]), textarea, label.ac-choice");
    const count = await targets.count();
    expect(count, `${when}: targets`).toBeGreaterThan(0);
    const small = [];
    for (let i = 0; i < count; i++) {
      const t = targets.nth(i);
      const box = await t.boundingBox();
      if (!box) continue; // not rendered
      if (box.width < 44 || box.height < 44) {
        const name = await t.evaluate((el) => el.getAttribute("name") ?? el.textContent.trim());
        small.push({ target: name, width: box.width, height: box.height });
      }
    }
    expect(small, `${when}: targets smaller than 44×44 px`).toEqual([]);
  }

  test("the form, its validation errors and a failure banner fit, and every target is at least 44×44", async ({ page, request }) => {
    const widget = await mountWidget(page);
    await expect(submitButton(widget)).toBeVisible();
    await expectFits(page, widget, "empty form");
    await expectTargets44(widget, "empty form");

    await submitButton(widget).click();
    await expect(widget.locator("[name=nome]")).toHaveAttribute("aria-invalid", "true");
    await expectFits(page, widget, "after a blank submit");
    await expectTargets44(widget, "after a blank submit");

    await queue(request, { status: 502, content_type: "text/html", body: nginxPage(502, "Bad Gateway") });
    await fill(widget, CUSTOMER);
    await submitButton(widget).click();
    await expect(widget.getByRole("alert")).toContainText("erro 502");
    await expect(submitButton(widget)).toBeEnabled();
    await expectFits(page, widget, "with the 502 banner");
    await expectTargets44(widget, "with the 502 banner");
    // The "send again?" question's buttons.
    await submitButton(widget).click();
    await expect(widget.getByRole("button", { name: "Sim, enviar de novo" })).toBeVisible();
    await expectTargets44(widget, "with the send-again question");
  });

  test("a service label that is one long word wraps inside the screen, its radio full size", async ({ page }) => {
    const long = "PLANO_FIBRA_500MB_RESIDENCIAL_PROMOCIONAL_2024";
    const widget = await mountWidget(page, {
      services: [
        { id_cliente_servico: 11000, label: long },
        { id_cliente_servico: 11001, label: "Fibra 100 MB" },
      ],
    });
    const choice = widget.locator("label.ac-choice", { hasText: long });
    await expect(choice).toBeVisible();
    await expectFits(page, widget, "long service label");
    await expectTargets44(widget, "long service label");
    // The whole label is on screen (wrapped, not clipped), and both radios keep 20×20 px.
    const text = await choice.locator("span").evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { right: r.right, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
    });
    expect(text.right).toBeLessThanOrEqual(320.5);
    expect(text.scrollWidth).toBeLessThanOrEqual(text.clientWidth);
    for (const radio of await widget.locator("input[type=radio]").all()) {
      const box = await radio.boundingBox();
      expect(box.width, "radio width").toBeCloseTo(20, 0);
      expect(box.height, "radio height").toBeCloseTo(20, 0);
    }
  });

  test("the confirmation with a 20-digit protocolo fits", async ({ page, request }) => {
    await queue(request, { body: SUCCESS });
    const widget = await mountWidget(page);
    await fill(widget, CUSTOMER);
    await submitButton(widget).click();
    await expect(widget.locator(".ac-protocolo-value")).toHaveText(SUCCESS.atendimento.protocolo);
    await expectFits(page, widget, "confirmation");
    await expectTargets44(widget, "confirmation");
    const protocolo = await widget.locator(".ac-protocolo-value").boundingBox();
    expect(protocolo.x + protocolo.width, "protocolo right edge").toBeLessThanOrEqual(320.5);
  });
});
