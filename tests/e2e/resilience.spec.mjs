// Resilience end-to-end tests: a timeout that may have opened the ticket (and the "send again?"
// question), offline, drafts in localStorage, the phone mask with the caret, the description's
// length limit and text fidelity, and the polite live region. The release build (dist/) served
// by the mock Hubsoft server, driven in Chromium.
import { test, expect } from "@playwright/test";
import {
  SUCCESS,
  TOKEN,
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
  submitButton,
} from "./helpers.mjs";

const CUSTOMER = {
  servico: "11000",
  nome: "Maria da Silva Souza",
  telefone: "(37) 99911-2233",
  email: "maria@example.com",
  descricao: "Sem internet desde ontem à noite.",
};


const DRAFT_PREFIX = "abrir-chamado:rascunho:v2|";

test.beforeEach(async ({ request }) => {
  await resetMock(request);
});


/** Every localStorage entry of the page, as [key, value] pairs. */
function storageEntries(page) {
  return page.evaluate(() => {
    const out = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      out.push([key, localStorage.getItem(key)]);
    }
    return out;
  });
}

/** The draft entries (keys starting with the widget's draft prefix). */
async function draftEntries(page) {
  return (await storageEntries(page)).filter(([k]) => k.startsWith(DRAFT_PREFIX));
}

const heading = (widget) => widget.getByRole("heading", { name: "Chamado aberto!" });
const protocoloValue = (widget) => widget.locator(".ac-protocolo-value");
const liveRegion = (widget) => widget.locator("p[role=status][aria-live=polite]");
const EMPTY = { servico: "", nome: "", telefone: "", email: "", descricao: "" };

// ---------------------------------------------------------------------------------------------
// 1. Timeout
// ---------------------------------------------------------------------------------------------

test("timeout: says it took too long and may have opened the ticket; sending again needs a confirmation", async ({ page, request }) => {
  test.setTimeout(60_000);
  await queue(request, { delay_ms: 3000, body: SUCCESS });
  await installClock(page);
  const posts = recordPosts(page);
  const widget = await mountWidget(page, { timeout_ms: 1000 });
  await fill(widget, CUSTOMER);
  const before = await formValues(widget);
  const aborted = page.waitForEvent("requestfailed", (r) => r.method() === "POST");
  await submitButton(widget).click();

  const alert = widget.getByRole("alert");
  await expect(alert).toContainText("demorou demais");
  await expect(alert).toContainText("pode ter sido aberto");
  await expect(submitButton(widget)).toBeEnabled();
  await expect(heading(widget)).toHaveCount(0);
  expect(await formValues(widget)).toEqual(before);
  await expectNoAxeViolations(page);

  // The browser dropped the request at the time limit, so no late answer can arrive; and long
  // after it (run at once on the page's clock), still exactly one POST: no retry.
  await aborted;
  await runTimers(page, 10_000);
  expect(posts).toHaveLength(1);
  expect(await received(request)).toHaveLength(1);
  await expect(heading(widget)).toHaveCount(0);
  expect(await formValues(widget)).toEqual(before);

  // Submitting again asks first.
  await submitButton(widget).click();
  const question = widget.getByRole("group", { name: /pode já ter sido aberto/ });
  await expect(question).toBeVisible();
  const yes = widget.getByRole("button", { name: "Sim, enviar de novo" });
  const no = widget.getByRole("button", { name: "Não, vou verificar antes" });
  await expect(yes).toBeVisible();
  await expect(no).toBeVisible();
  await expect(yes).toBeFocused();
  await expectNoAxeViolations(page);
  await runTimers(page);
  expect(posts).toHaveLength(1);

  // "Não…" hides the question and sends nothing.
  await no.click();
  await expect(question).toHaveCount(0);
  await expect(yes).toHaveCount(0);
  await runTimers(page);
  expect(posts).toHaveLength(1);
  expect(await formValues(widget)).toEqual(before);

  // Ask again and confirm: the mock's normal success (nothing queued any more).
  await submitButton(widget).click();
  await expect(question).toBeVisible();
  await yes.click();
  await expect(heading(widget)).toBeVisible();
  await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
  await runTimers(page);
  expect(posts).toHaveLength(2);
  const got = await received(request);
  expect(got).toHaveLength(2);
  expect(got[1].json).toEqual(got[0].json);
});

// ---------------------------------------------------------------------------------------------
// 2. Offline
// ---------------------------------------------------------------------------------------------

test("offline: a note says so, a submit sends nothing and explains why; back online it sends", async ({ page, context, request }) => {
  await installClock(page);
  const posts = recordPosts(page);
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  const before = await formValues(widget);
  await context.setOffline(true);

  const note = widget.locator(".ac-offline");
  await expect(note).toBeVisible();
  // Nothing is being sent: the customer may keep typing.
  await expect(note).toContainText("Você está sem conexão com a internet. Pode continuar escrevendo");
  await expectNoAxeViolations(page);

  await page.evaluate(() => {
    window.__errors = [];
    document.addEventListener("abrir-chamado:error", (e) => window.__errors.push(e.detail));
  });
  await submitButton(widget).click();
  const alert = widget.getByRole("alert");
  await expect(alert).toContainText("Você está sem conexão");
  expect(await formValues(widget)).toEqual(before);
  await expectNoAxeViolations(page);
  await runTimers(page);
  expect(posts).toHaveLength(0);
  // The host hears of each refused submit, as of any other failure.
  await submitButton(widget).click();
  await expect.poll(() => page.evaluate(() => window.__errors.length)).toBe(2);
  const errors = await page.evaluate(() => window.__errors);
  expect(errors[0]).toEqual({ kind: "offline", message: expect.stringContaining("Você está sem conexão"), status: null });
  expect(errors[1]).toEqual(errors[0]);

  await context.setOffline(false);
  await expect(alert).toHaveCount(0);
  await expect(note).toHaveCount(0);
  await submitButton(widget).click();
  await expect(heading(widget)).toBeVisible();
  await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
  expect(await received(request)).toHaveLength(1);
});

test("offline while sending: the note does not invite typing into the read-only fields", async ({ page, context, request }) => {
  // The mock holds the answer, so the send is under way when the connection drops.
  await queue(request, { delay_ms: 3000, body: SUCCESS });
  const widget = await mountWidget(page);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(liveRegion(widget)).toContainText("Enviando o chamado");
  await context.setOffline(true);
  const note = widget.locator(".ac-offline");
  await expect(note).toHaveText(
    "Você está sem conexão com a internet. Seus dados continuam aqui; se o envio não se completar, você poderá enviar de novo.",
  );
  await expect(widget.getByLabel(/nome/i)).not.toBeEditable();
  await expectNoAxeViolations(page);
  // The request already under way is answered (Chromium's offline mode stops new requests).
  await context.setOffline(false);
  await expect(heading(widget)).toBeVisible();
  await expect(note).toHaveCount(0);
});

// ---------------------------------------------------------------------------------------------
// 3. Drafts
// ---------------------------------------------------------------------------------------------

test.describe("drafts", () => {
  test("a reload restores the draft (without the token); a success deletes it", async ({ page, request }) => {
    await installClock(page);
    let widget = await mountWidget(page);
    const typed = {
      servico: "11000",
      nome: "Maria \"Mary\" d'Ávila",
      telefone: "(37) 99911-2233",
      descricao: "Sem sinal desde ontem.\nLuz vermelha 😢",
    };
    await fill(widget, typed);
    const before = await formValues(widget);
    await expect.poll(() => draftEntries(page)).toHaveLength(1);

    widget = await mountWidget(page); // navigates to "/": a reload
    await expect(widget.getByText("Recuperamos o que você tinha escrito")).toBeVisible();
    expect(await formValues(widget)).toEqual(before);
    expect(before).toEqual({ ...typed, email: "" });
    await expectNoAxeViolations(page);

    const entries = await storageEntries(page);
    expect(entries.join("\n")).not.toContain(TOKEN);
    const drafts = entries.filter(([k]) => k.startsWith("abrir-chamado:"));
    expect(drafts).toHaveLength(1);
    expect(drafts[0][0].startsWith(DRAFT_PREFIX)).toBe(true);

    await submitButton(widget).click();
    await expect(heading(widget)).toBeVisible();
    const posts = await received(request);
    expect(posts).toHaveLength(1);
    expect(posts[0].json.descricao).toBe(typed.descricao);
    // Any draft save still due would run now: none is.
    await runTimers(page);
    expect(await draftEntries(page)).toEqual([]);

    widget = await mountWidget(page);
    await expect(submitButton(widget)).toBeVisible();
    expect(await formValues(widget)).toEqual(EMPTY);
    await expect(widget.getByText("Recuperamos o que você tinha escrito")).toHaveCount(0);
    expect(await draftEntries(page)).toEqual([]);
  });

  test("a phone's app switch (visibilitychange) writes the draft at once, not 400 ms later", async ({ page }) => {
    await installClock(page);
    const widget = await mountWidget(page);
    // Paused: the draft's 400 ms debounce cannot run on its own.
    await page.clock.pauseAt(new Date(Date.now() + 60_000));
    await fill(widget, { descricao: "Caiu a conexão no meio do jogo." });
    expect(await draftEntries(page)).toEqual([]);
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange", { bubbles: true })));
    const drafts = await draftEntries(page);
    expect(drafts).toHaveLength(1);
    expect(drafts[0][1]).toContain("Caiu a conexão no meio do jogo.");
  });

  test("'Descartar rascunho' goes back to the host's prefill and forgets the draft", async ({ page }) => {
    await installClock(page);
    let widget = await mountWidget(page, { nome: "Maria" });
    await widget.getByLabel(/descrição/i).fill("Internet caindo toda noite.");
    await expect.poll(() => draftEntries(page)).toHaveLength(1);

    const discard = widget.getByRole("button", { name: "Descartar rascunho" });
    await discard.click();
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
    await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria");
    await expect(discard).toHaveCount(0);
    await runTimers(page);
    expect(await draftEntries(page)).toEqual([]);

    widget = await mountWidget(page, { nome: "Maria" });
    await expect(submitButton(widget)).toBeVisible();
    await expect(widget.getByText("Recuperamos o que você tinha escrito")).toHaveCount(0);
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
    await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria");
  });

  test("a discard can be undone: 'Desfazer' on the same button, focus kept, said aloud; the draft comes back", async ({ page }) => {
    await installClock(page);
    const widget = await mountWidget(page, { nome: "Maria" });
    await widget.getByLabel(/descrição/i).fill("Internet caindo toda noite.");
    await expect.poll(() => draftEntries(page)).toHaveLength(1);
    await widget.getByRole("button", { name: "Descartar rascunho" }).click();
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
    const undo = widget.getByRole("button", { name: "Desfazer" });
    await expect(undo).toBeFocused();
    await expect(widget.locator(".ac-actions .ac-hint")).toHaveText("Rascunho descartado.");
    await expect(widget.locator("[role=status][aria-live]")).toHaveText("Rascunho descartado.");
    await runTimers(page);
    expect(await draftEntries(page)).toEqual([]);
    await page.keyboard.press("Enter");
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("Internet caindo toda noite.");
    await expect(widget.getByLabel(/nome/i)).toHaveValue("Maria");
    const discard = widget.getByRole("button", { name: "Descartar rascunho" });
    await expect(discard).toBeFocused();
    await expect(widget.locator("[role=status][aria-live]")).toHaveText(/Recuperamos o que você tinha escrito/);
    await runTimers(page);
    await expect.poll(() => draftEntries(page)).toHaveLength(1);
    // Typing after a discard withdraws the offer: nothing newer can be overwritten.
    await discard.click();
    const said = await widget.locator("[role=status][aria-live]").textContent();
    await widget.getByLabel(/descrição/i).fill("Outro problema.");
    await expect(widget.getByRole("button", { name: "Desfazer" })).toHaveCount(0);
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("Outro problema.");
    // A second discard is told again (the live region's text changes).
    await widget.getByRole("button", { name: "Descartar rascunho" }).click();
    await expect(widget.locator("[role=status][aria-live]")).toHaveText(/^Rascunho descartado\./);
    expect(await widget.locator("[role=status][aria-live]").textContent()).not.toBe(said);
  });

  test("drafts are kept per draft_key", async ({ page }) => {
    let widget = await mountWidget(page, { draft_key: "cliente-A" });
    await fill(widget, { descricao: "Rascunho do cliente A" });
    await expect.poll(() => draftEntries(page)).toHaveLength(1);

    widget = await mountWidget(page, { draft_key: "cliente-B" });
    await expect(submitButton(widget)).toBeVisible();
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("");
    await expect(widget.getByText("Recuperamos o que você tinha escrito")).toHaveCount(0);
    await expect(widget.getByText("Rascunho do cliente A")).toHaveCount(0);

    widget = await mountWidget(page, { draft_key: "cliente-A" });
    await expect(widget.getByLabel(/descrição/i)).toHaveValue("Rascunho do cliente A");
    await expect(widget.getByText("Recuperamos o que você tinha escrito")).toBeVisible();
    const keys = (await draftEntries(page)).map(([k]) => k);
    expect(keys).toHaveLength(1);
    expect(keys[0].endsWith("|cliente-A")).toBe(true);
  });

  test("with localStorage blocked the widget still files a ticket", async ({ page, request }) => {
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await installClock(page);
    await page.addInitScript(() => {
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new Error("blocked");
        },
      });
    });
    const widget = await mountWidget(page);
    expect(await page.evaluate(() => {
      try {
        void window.localStorage;
        return "readable";
      } catch (e) {
        return e.message;
      }
    })).toBe("blocked");
    await fill(widget, CUSTOMER);
    await runTimers(page); // a draft save runs now
    await submitButton(widget).click();
    await expect(heading(widget)).toBeVisible();
    await expect(protocoloValue(widget)).toHaveText(/^\d{20}$/);
    expect(await received(request)).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// 4. The phone mask
// ---------------------------------------------------------------------------------------------

test("phone: formatted as typed with the caret kept; paste, IME and autofill; digits sent", async ({ page, request }) => {
  const widget = await mountWidget(page);
  const tel = widget.getByLabel(/telefone/i);
  const caret = () => tel.evaluate((el) => el.selectionStart);

  // Typing at the end.
  await tel.click();
  await page.keyboard.type("37999112233");
  await expect(tel).toHaveValue("(37) 99911-2233");
  expect(await caret()).toBe(15);

  // Typing in the middle: a 9 typed after "(37) 9" of a 10-digit number.
  await tel.fill("");
  await tel.click();
  await page.keyboard.type("3799112233");
  await expect(tel).toHaveValue("(37) 9911-2233");
  await tel.evaluate((el) => el.setSelectionRange(6, 6));
  await page.keyboard.type("9");
  await expect(tel).toHaveValue("(37) 99911-2233");
  expect(await caret()).toBe(7);

  // Backspace right after the "-": the digit before it goes, the caret stays where it was
  // (src/core/phone.rs: "(37) 99911-2233" → "(37) 9991-2233", caret after "(37) 9991").
  await tel.evaluate((el) => el.setSelectionRange(11, 11));
  await page.keyboard.press("Backspace");
  await expect(tel).toHaveValue("(37) 9991-2233");
  expect((await tel.inputValue()).replace(/\D/g, "")).toHaveLength(10);
  expect(await caret()).toBe(9);

  // Paste of a number with the country code.
  await tel.evaluate((el) => {
    el.value = "+55 37 99911-2233";
    el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  });
  await expect(tel).toHaveValue("(37) 99911-2233");

  // IME composition is left alone.
  await tel.evaluate((el) => {
    el.value = "3799";
    el.dispatchEvent(new InputEvent("input", { bubbles: true, isComposing: true, inputType: "insertCompositionText" }));
  });
  await nextFrame(page);
  await expect(tel).toHaveValue("3799");

  // A phone keyboard composing each digit (Chromium's IME through CDP): left alone while
  // composing, formatted once the customer leaves the field.
  await tel.fill("");
  await tel.click();
  const cdp = await page.context().newCDPSession(page);
  for (const digit of "37999112233") {
    await cdp.send("Input.imeSetComposition", { text: digit, selectionStart: 1, selectionEnd: 1 });
    await cdp.send("Input.insertText", { text: digit });
  }
  await expect(tel).toHaveValue("37999112233");
  await widget.getByLabel(/nome/i).focus();
  await expect(tel).toHaveValue("(37) 99911-2233");
  // Text that is not a valid number stays as the customer wrote it.
  await tel.evaluate((el) => {
    el.value = "37 9991 ramal 2";
    el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
  });
  await tel.focus();
  await widget.getByLabel(/nome/i).focus();
  await expect(tel).toHaveValue("37 9991 ramal 2");

  // Autofill-like plain Event("input").
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await tel.evaluate((el) => {
    el.value = "37999112233";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
  await expect(tel).toHaveValue("(37) 99911-2233");
  expect(pageErrors).toEqual([]);

  await fill(widget, { servico: "11000", nome: "Maria", descricao: "Sem internet" });
  await expect(tel).toHaveValue("(37) 99911-2233");
  await submitButton(widget).click();
  await expect(heading(widget)).toBeVisible();
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.telefone).toBe("37999112233");
});

// ---------------------------------------------------------------------------------------------
// 5. Description: limit and fidelity
// ---------------------------------------------------------------------------------------------

test("description: counter, over-limit text kept and flagged, nothing sent until it fits", async ({ page, request }) => {
  test.setTimeout(60_000);
  await installClock(page);
  const posts = recordPosts(page);
  const widget = await mountWidget(page);
  const descricao = widget.getByLabel(/descrição/i);
  const counter = widget.locator(".ac-counter");
  await expect(counter).toBeVisible();
  await expect(counter).toContainText("de 2000 caracteres");
  await expect(counter).toHaveText("0 de 2000 caracteres");

  await descricao.click();
  await page.keyboard.type("Sem internet");
  await expect(counter).toHaveText("12 de 2000 caracteres");

  await fill(widget, { servico: "11000", nome: "Maria", telefone: "(37) 99911-2233" });
  const long = "a".repeat(2100);
  await descricao.fill(long);
  const error = widget.locator(".ac-error-text");
  await expect(error).toContainText("2000");
  await expect(error).toContainText("apague 100");
  await expect(descricao).toHaveAttribute("aria-invalid", "true");
  expect(await descricao.inputValue()).toHaveLength(2100);
  await expect(counter).toHaveText("2100 de 2000 caracteres");
  await expectNoAxeViolations(page);

  await submitButton(widget).click();
  await expect(descricao).toBeFocused();
  expect(await descricao.inputValue()).toHaveLength(2100);
  await runTimers(page);
  expect(posts).toHaveLength(0);

  // Delete back to 2000 characters with the keyboard.
  await descricao.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  for (let i = 0; i < 100; i++) await page.keyboard.press("Backspace");
  expect(await descricao.inputValue()).toHaveLength(2000);
  await expect(error).toHaveCount(0);
  await expect(descricao).toHaveAttribute("aria-invalid", "false");
  await expect(counter).toHaveText("2000 de 2000 caracteres");

  await submitButton(widget).click();
  await expect(heading(widget)).toBeVisible();
  const got = await received(request);
  expect(got).toHaveLength(1);
  expect(got[0].json.descricao).toHaveLength(2000);
  expect(got[0].json.descricao).toBe("a".repeat(2000));
});

test("description: accents, quotes, line breaks and emoji arrive unchanged", async ({ page, request }) => {
  const text = "Olá \"aspas\" 'simples'\nnova linha 😢 ção";
  const widget = await mountWidget(page);
  await fill(widget, { ...CUSTOMER, descricao: `  ${text}  ` });
  await submitButton(widget).click();
  await expect(heading(widget)).toBeVisible();
  const posts = await received(request);
  expect(posts).toHaveLength(1);
  expect(posts[0].json.descricao).toBe(text);
  expect(Buffer.from(posts[0].json.descricao, "utf8").equals(Buffer.from(text, "utf8"))).toBe(true);
});

// ---------------------------------------------------------------------------------------------
// 6. Live region
// ---------------------------------------------------------------------------------------------

test("the polite live region announces the sending and the protocolo", async ({ page, request }) => {
  await queue(request, { delay_ms: 1500, body: SUCCESS });
  const widget = await mountWidget(page);
  const live = liveRegion(widget);
  await expect(live).toHaveCount(1);
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(live).toContainText("Enviando o chamado");
  await expect(submitButton(widget)).toBeDisabled();
  await expect(live).toContainText(`Chamado aberto. Protocolo ${SUCCESS.atendimento.protocolo}`);
  await expect(heading(widget)).toBeVisible();
  expect(await received(request)).toHaveLength(1);
});

test("the live region does not contradict the alert after a timeout that may have opened the ticket", async ({ page, request }) => {
  await queue(request, { delay_ms: 3000, body: SUCCESS });
  const widget = await mountWidget(page, { timeout_ms: 1000 });
  await fill(widget, CUSTOMER);
  await submitButton(widget).click();
  await expect(widget.getByRole("alert")).toContainText("pode ter sido aberto");
  const live = liveRegion(widget);
  // The alert says the ticket may exist; the polite announcement must not say it was not opened.
  await expect(live).not.toContainText("não foi aberto");
});
