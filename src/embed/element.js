// The <abrir-chamado> custom element: a thin JavaScript shim over the Rust `mount` API
// (wasm-bindgen cannot define a class that extends HTMLElement, wasm-bindgen #2853).
// Attributes carry every option but the token provider (rich ones as JSON), properties the
// rich ones as values; every change re-renders the widget through `handle.update(options)`.
// The element is defined as soon as this module runs, before the WebAssembly is ready
// (`defineElement()` from the stable entry); it mounts the widget once `mount` arrives.
// Until then it shows the first paint: the form prerendered at build time by the widget's own
// components (src/components/first_paint.rs), which the customer can read and type into, or the
// same markup the page brought as Declarative Shadow DOM. The widget takes it over, keeping what
// was typed, the focus and the caret, and an early submit (src/takeover.rs).
// `loading` says when the WebAssembly loads: "eager" (default) at once, "lazy" on intent.
// Removing the element for good (longer than REMOVAL_GRACE_MS) destroys the widget; moving it
// keeps it.

// attribute name -> option key (the same list as OPTION_NAMES in core/src/options.rs;
// core/tests/option_names.rs checks it). `idempotency-key` is a boolean: present (no value, ""
// or "true") → on; absent or "false" → off.
const ATTRIBUTES = {
  "endpoint": "endpoint",
  "token": "token",
  "locale": "locale",
  "id-cliente-servico": "id_cliente_servico",
  "nome": "nome",
  "telefone": "telefone",
  "email": "email",
  "mode": "mode",
  "draft-key": "draft_key",
  "timeout-ms": "timeout_ms",
  "idempotency-key": "idempotency_key",
  "services": "services",
  "tipos": "tipos",
  "locked": "locked",
  "labels": "labels",
  "parametros": "parametros",
  "abrir-os": "abrir_os",
  "loading": "loading",
};
// How long a removed element keeps its widget, in milliseconds, in case it is inserted again
// (a move); after that the widget is destroyed.
const REMOVAL_GRACE_MS = 1000;
// property name -> option key (likewise)
const PROPERTIES = {
  token: "token",
  tokenProvider: "tokenProvider",
  services: "services",
  tipos: "tipos",
  locked: "locked",
  labels: "labels",
  abrirOs: "abrir_os",
  parametros: "parametros",
};

// Attributes whose value is JSON (server-rendered pages have no script to set properties):
// `services='[{"id_cliente_servico":11000,"label":"Fibra"}]'`. Invalid JSON is a configuration
// error naming the attribute.
const JSON_ATTRIBUTES = new Set(["services", "tipos", "locked", "labels", "parametros"]);
// Boolean attributes: present (no value, "" or "true") → true; "false" → false.
const BOOLEAN_ATTRIBUTES = new Set(["abrir-os"]);

// This module's state, shared by every copy of it in the page, on the one object registered
// under a global symbol: the stable entry carries one copy (so the first paint needs no second
// request), and the wasm-bindgen glue's snippet forwards to it (`api`, below); a page that loads
// the glue without the entry gets this file as the snippet's fallback.
// - mount: the widget's `mount`, once the WebAssembly is ready (`null` before);
// - waiting: the elements (and script handles) that asked to render before that;
// - boot: what the stable entry hands over (`null` when the wasm-bindgen module was loaded
//   directly): `load()` starts loading the WebAssembly (its start function then calls
//   `defineElement(mount)`), `paints` the prerendered markup by variant key, `css` the
//   widget's stylesheet, `cssUrl` the same as a file;
// - loading: the pending `load()`, so it starts once (reset after a failure, so the next intent
//   retries); stop: the AbortController of that load (see `startLoad`); again: after a failed
//   load, the AbortController of the listeners that retry it (see `loadFailed`);
// - state: per element, its properties, widget handle, pending render, removal timer, intent
//   watcher;
// - catalogs, retrying, listeners: the English and Spanish texts by locale, a retry under way,
//   and the widgets to call back when they change (see `catalogReady`);
// - api: the exports of the first copy, which the glue's snippet forwards to.
const shared = (globalThis[Symbol.for("abrir-chamado.element")] ??= {
  mount: null,
  waiting: new Set(),
  boot: null,
  loading: null,
  state: new WeakMap(),
  guarded: new WeakSet(),
  sheet: null,
  catalogs: {},
  retrying: {},
  listeners: {},
  api: null,
});
const { waiting, state, guarded } = shared;
const get = (el) => {
  let s = state.get(el);
  if (!s) state.set(el, (s = { props: {}, handle: null, pending: false }));
  return s;
};

/**
 * Defines `<abrir-chamado>` (once per page) and, when `mount` is given (the wasm's start
 * function passes it), renders every element waiting for it. The stable entry calls it without
 * `mount` before the WebAssembly downloads, so the element and its properties exist from the
 * start: frameworks that check `key in element` (React 19, Vue) set properties, not attributes,
 * whatever the load order. Properties set before the wasm is ready are kept and used at the
 * first render.
 */
export function defineElement(mount, entry) {
  if (entry && !shared.boot) shared.boot = entry;
  if (mount && !shared.mount) {
    shared.mount = mount;
    // One bad host call (a `mount()` of a missing element) must not keep the others waiting.
    for (const el of waiting) {
      try {
        typeof el.attach === "function" ? el.attach(mount) : schedule(el);
      } catch (error) {
        console.error("abrir-chamado:", error);
      }
    }
    waiting.clear();
  }
  if (customElements.get("abrir-chamado")) return;

  class AbrirChamado extends HTMLElement {
    static get observedAttributes() {
      return Object.keys(ATTRIBUTES);
    }

    constructor() {
      super();
      // The standard "upgrade" case: properties set on the element before the definition are
      // own data properties that shadow the accessors; re-set them through the accessors.
      upgradeProperties(this);
      this.addEventListener("abrir-chamado:ready", () => (get(this).ready = true));
    }

    /**
     * Whether the widget in this element has said `abrir-chamado:ready` (and was not destroyed
     * since): for a page script that may start listening after that event.
     */
    get ready() {
      return get(this).ready === true;
    }

    connectedCallback() {
      // Back within the grace period after a removal: this is a move, keep the widget.
      const s = get(this);
      clearTimeout(s.removal);
      s.removal = undefined;
      upgradeProperties(this);
      // Mount after the current task's script has run, so properties set right after inserting
      // the element (el.tokenProvider = …) are there from the first render.
      schedule(this);
    }

    disconnectedCallback() {
      // A move keeps the widget as it is (what was typed, the phase, no second
      // `ready`): frameworks re-parent nodes, and portals move a form into a dialog, in the same
      // task or a little later. Only a removal that lasts REMOVAL_GRACE_MS destroys it. Either
      // way a draft save still waiting (or the text typed into the first paint) is written now,
      // not after the host's next statement (which may clear storage at logout).
      const s = get(this);
      if (s.handle) s.handle.saveDraft();
      else flushEarlyDraft(this);
      clearTimeout(s.removal);
      s.removal = setTimeout(() => {
        s.removal = undefined;
        // Gone: it waits for no texts (put back, it asks again).
        if (!this.isConnected) forgetTexts(this);
        if (!this.isConnected && !s.handle) {
          // Never loaded and gone: stop watching for the customer's intent.
          s.intent?.abort();
          s.intent = null;
          waiting.delete(this);
          // An untouched first paint goes, as the widget's own destroy would take its form (put
          // back, the element paints anew). One the customer typed into stays with the element,
          // as the widget would have kept it in a draft: put back, it is there to take over.
          const painted = this.shadowRoot?.querySelector(".ac-root[data-first-paint]");
          if (painted && !painted.querySelector("[data-typed]")) {
            this.shadowRoot.replaceChildren();
            s.typedOpts = null;
          }
        }
        if (!this.isConnected && s.handle) {
          s.handle.destroy();
          s.handle.free();
          s.handle = null;
          s.ready = false;
        }
      }, REMOVAL_GRACE_MS);
    }

    attributeChangedCallback() {
      schedule(this);
    }

    /**
     * Clears the form back to the host's values and deletes the draft. Before the widget has
     * loaded, the first paint is cleared and the draft deleted now; the widget starts clear when
     * it loads, unless the customer has typed into the first paint since.
     */
    reset() {
      const s = get(this);
      if (s.handle) return s.handle.reset();
      deleteDrafts(options(this));
      s.resetPending = true;
      const painted = this.shadowRoot?.querySelector(".ac-root[data-first-paint]");
      s.typedOpts = null;
      if (painted) {
        painted.style.removeProperty("display");
        painted.inert = false;
        for (const field of painted.querySelectorAll("input, textarea")) {
          field.value = field.defaultValue;
          field.removeAttribute("data-typed");
        }
        dropPress(painted);
        painted.querySelector(".ac-load-failed")?.remove();
      }
      schedule(this);
    }

    /** mode="modal": opens the dialog (loading the widget first if it has not loaded yet). */
    open() {
      const s = get(this);
      if (s.handle) return s.handle.open();
      s.dialog = true;
      startLoad();
    }

    /** mode="modal": closes the dialog; focus returns to the launcher. */
    close() {
      const s = get(this);
      if (s.handle) return s.handle.close();
      s.dialog = false;
    }
  }

  for (const name of Object.keys(PROPERTIES)) {
    Object.defineProperty(AbrirChamado.prototype, name, {
      configurable: true,
      enumerable: true,
      get() {
        return get(this).props[name];
      },
      set(value) {
        get(this).props[name] = value;
        schedule(this);
      },
    });
  }

  customElements.define("abrir-chamado", AbrirChamado);
}

// Own properties (set before the element was defined) shadow the accessors: delete and re-set
// them. One the page made unreadable or undeletable is left as it is (the widget goes without).
function upgradeProperties(el) {
  for (const name of Object.keys(PROPERTIES)) {
    if (Object.prototype.hasOwnProperty.call(el, name)) {
      try {
        const value = el[name];
        delete el[name];
        el[name] = value;
      } catch (_) {
        // not ours to fix
      }
    }
  }
}

// The options object of `el`: its attributes, then its properties (a property beats the
// attribute of the same option).
function options(el) {
  const opts = {};
  const badAttributes = [];
  for (const [attr, key] of Object.entries(ATTRIBUTES)) {
    if (!el.hasAttribute(attr)) continue;
    const text = el.getAttribute(attr);
    if (JSON_ATTRIBUTES.has(attr)) {
      try {
        opts[key] = JSON.parse(text);
      } catch (_) {
        badAttributes.push(attr);
      }
    } else if (BOOLEAN_ATTRIBUTES.has(attr)) {
      const value = text.trim().toLowerCase();
      if (value === "" || value === "true" || value === attr) opts[key] = true;
      else if (value === "false") opts[key] = false;
      else badAttributes.push(attr);
    } else {
      opts[key] = text;
    }
  }
  for (const [prop, key] of Object.entries(PROPERTIES)) {
    const value = get(el).props[prop];
    if (value !== undefined) {
      opts[key] = value;
      const attr = Object.keys(ATTRIBUTES).find((a) => ATTRIBUTES[a] === key);
      const i = badAttributes.indexOf(attr);
      if (i >= 0) badAttributes.splice(i, 1);
    }
  }
  if (badAttributes.length) opts.invalid_attributes = badAttributes;
  return opts;
}

function schedule(el) {
  const s = get(el);
  if (!el.isConnected || s.pending) return;
  s.pending = true;
  queueMicrotask(() => {
    s.pending = false;
    if (el.isConnected) render(el);
  });
}

function render(el) {
  const s = get(el);
  const opts = options(el);
  const locale = localeOf(el, opts);
  // English and Spanish texts are files (see `catalogReady`), loaded with the WebAssembly: the
  // widget mounts once they are here (the first paint stays until then); a mounted widget takes
  // every change at once and keeps the language on screen until they are (src/embed/mod.rs
  // `settle_language`), and is updated again then.
  const textsReady = () => catalogReady(locale, () => schedule(el), el);
  if (s.handle) {
    // First, so that the widget sees a load under way (`catalogPending`).
    textsReady();
    s.handle.update(opts);
  } else if (shared.mount && !textsReady()) {
    // Still waiting (for its texts): its early draft is written when the page is hidden.
    waiting.add(el);
    paintFirst(el, opts);
  } else if (shared.mount) {
    waiting.delete(el);
    // What was typed into the first paint is taken over under the options it was typed with;
    // the widget then moves to the current ones as for any change (see `paintFirst`).
    const typedOpts = s.typedOpts;
    s.typedOpts = null;
    // A reset asked for before the widget loaded is applied now, unless the customer has typed
    // into the first paint since (the reset cleared it): that text is what they want kept.
    const typedSinceReset = !!el.shadowRoot?.querySelector(".ac-root[data-first-paint] [data-typed]");
    if (typedOpts && customerOf(typedOpts) !== customerOf(opts)) {
      s.handle = shared.mount(el, typedOpts);
      s.handle.update(opts);
    } else s.handle = shared.mount(el, opts);
    // What the host asked for before the widget had loaded.
    if (s.resetPending && !typedSinceReset) s.handle.reset();
    if (s.dialog !== undefined) s.dialog ? s.handle.open() : s.handle.close();
    s.resetPending = false;
    s.dialog = undefined;
  } else {
    waiting.add(el);
    paintFirst(el, opts);
    whenToLoad(el, opts);
    // The WebAssembly already on its way (another element asked): this one's texts go with it.
    if (shared.loading) catalogReady(locale, () => {}, el);
  }
}

// ---- Loading ------------------------------------------------------------------------------

// How long a load may take when no press is waiting for it (a press gives up after
// PRESS_WAIT_MS), in milliseconds: a stalled download is then aborted as failed, so that the next
// intent starts a fresh request instead of waiting on the stalled one until the browser gives up.
const LOAD_LIMIT_MS = 60000;

/**
 * Starts loading the WebAssembly once (the entry's `load`, given an AbortSignal for its request);
 * a failure, or an abort (`shared.stop`: after LOAD_LIMIT_MS, or when a press gives the form
 * back), lets the next intent retry (see `loadFailed`).
 */
function startLoad() {
  if (shared.loading || shared.mount || !shared.boot) return;
  shared.again?.abort();
  for (const el of waiting) {
    if (el instanceof HTMLElement) {
      get(el).intent?.abort();
      get(el).intent = null;
    }
    // The texts of an English or Spanish customer come with the WebAssembly, not after it;
    // texts that failed before are tried again with it (a new intent, maybe back online).
    const [at, opts] = el instanceof HTMLElement ? [el, options(el)] : [el.element, el.options];
    catalogReady(localeOf(at, opts), () => {}, el, true);
  }
  const stop = (shared.stop = new AbortController());
  const limit = setTimeout(() => stop.abort(), LOAD_LIMIT_MS);
  shared.attempt = (shared.attempt ?? -1) + 1;
  shared.loading = shared.boot.load(stop.signal, shared.attempt).then(
    () => clearTimeout(limit),
    (error) => {
      clearTimeout(limit);
      shared.loading = null;
      // The entry's `load` fails with the Response of an error answer: its status says it
      // (the object itself would print as "Response"); an Error prints as "TypeError: …".
      console.error(`abrir-chamado: não foi possível carregar o widget (${error?.status ? `HTTP ${error.status}` : error}); uma nova interação tenta de novo.`);
      loadFailed(error);
    },
  );
}

/**
 * After a failed load: every first paint whose customer has pressed "Abrir chamado"
 * (`data-submit`) or the modal's launcher (`data-open`) says so and is the customer's again to
 * send (`tellLoadFailedIn`); every waiting element or `mount()` without a first paint shows the
 * message with a "Tentar de novo" button (`showLoadFailed`). Each dispatches
 * `abrir-chamado:error` with `{ kind: "load", message, status }` as the widget does (`message`
 * the text shown, or shown on a press; `status` the wasm's HTTP status, from the entry's `load`,
 * which fails with the error answer, or null without an answer), and a `mount()` calls its
 * `onError`. The load is tried again on the window's `online` event, on the button, and (unless
 * the browser is offline) on the next intent in any of them (a focus, pointer or key).
 */
function loadFailed(error) {
  const again = (shared.again = new AbortController());
  const signal = again.signal;
  addEventListener("online", startLoad, { signal });
  for (const el of waiting) {
    const own = el instanceof HTMLElement;
    const at = own ? el : el.element;
    // Offline, every keystroke would fail at once: the `online` event retries then.
    if (navigator.onLine) for (const type of INTENT) at.addEventListener(type, startLoad, { signal, capture: true, passive: true });
    // (`localeOf` reads a host's options safely.)
    const locale = localeOf(at, own ? options(el) : el.options);
    const painted = own ? el.shadowRoot?.querySelector(".ac-root[data-first-paint]") : null;
    const message = textIn(LOAD_FAILED[painted?.querySelector(".ac-actions") ? "form" : "launcher"], locale);
    if (!painted) showLoadFailed(at, locale, message);
    else if (painted.matches("[data-submit], [data-open]")) tellLoadFailedIn(painted);
    const detail = { kind: "load", message, status: error?.status ?? null };
    at.dispatchEvent(new CustomEvent("abrir-chamado:error", { bubbles: true, composed: true, detail }));
    try {
      const call = !own && el.options?.onError;
      if (typeof call === "function") call.call(null, detail);
    } catch (error) {
      console.error("abrir-chamado:", error);
    }
  }
}

/** The text of `texts` (by locale) for `locale`, Portuguese when it has none. */
const textIn = (texts, locale) => texts[locale] ?? texts["pt-BR"];

/**
 * Shows `message` (role="alert") and a "Tentar de novo" button that loads again in `at`'s shadow
 * root (created if absent; the widget's own mount replaces them), styled as the widget.
 */
function showLoadFailed(at, locale, message) {
  let root = at.shadowRoot;
  try {
    root ??= at.attachShadow({ mode: "open" });
  } catch (_) {
    return; // an element that cannot host a shadow root: the event tells the host
  }
  let note = root.querySelector(".ac-load-failed");
  if (!note) {
    const box = document.createElement("div");
    box.className = "ac-root";
    box.lang = locale;
    box.innerHTML = `<p class="ac-banner ac-banner-error ac-load-failed" role="alert"></p><button type="button" class="ac-secondary">${textIn(RETRY, locale)}</button>`;
    box.lastChild.onclick = startLoad;
    root.replaceChildren(box);
    styleRoot(root);
    note = box.firstChild;
  }
  note.textContent = message;
}

// ---- Catalogs -----------------------------------------------------------------------------

// The texts file is about 2 KB: a load that takes longer than this has stalled, and the widget
// speaks Portuguese rather than keep the customer (and an early press) waiting.
const TEXTS_TIMEOUT_MS = 10000;
// After a failed load, how soon a render may try again in the background (so that a failing
// file is not fetched in a loop); a new load intent tries at once.
const TEXTS_RETRY_MS = 5000;

/**
 * Whether the texts of `locale` (`pt-BR`, `en`, `es`) are ready for the widget: Portuguese is in
 * the WebAssembly; English and Spanish are loaded from `abrir-chamado.<locale>.txt` (the build
 * writes them beside the entry), once per page.
 * - Loaded: ready.
 * - Never tried, or the first load under way: starts it if needed and is not ready; a widget
 *   waits for its language only then.
 * - Failed (`shared.catalogs[locale]` is the time of the failure): ready (the widget speaks
 *   Portuguese); a load is tried again in the background once `TEXTS_RETRY_MS` have passed since
 *   the failure, or at once with `force` (a new intent).
 * Unless loaded, `then` is kept under `key` (the widget: a later call replaces it) and called
 * when a load settles; [`forgetTexts`] drops it.
 */
function catalogReady(locale, then, key, force = false) {
  const texts = shared.catalogs;
  const state = texts[locale];
  if (locale === "pt-BR" || typeof state === "string") return true;
  (shared.listeners[locale] ??= new Map()).set(key, then);
  if (typeof state === "number") {
    if (!shared.retrying[locale] && (force || Date.now() - state >= TEXTS_RETRY_MS)) {
      // Cleared by `loadTexts` itself before it calls the widgets back.
      shared.retrying[locale] = loadTexts(locale, true);
    }
    return true;
  }
  texts[locale] ??= loadTexts(locale, false);
  return false;
}

/**
 * Whether the texts of `locale` are being loaded (a first load, or a retry after a failure): the
 * widget then keeps the language it shows (src/embed/mod.rs `settle_language`) until the shim
 * updates it again.
 */
export function catalogPending(locale) {
  return shared.catalogs[locale] instanceof Promise || !!shared.retrying[locale];
}

/** Drops what `key` (an element or a script handle) waits for in every language's texts. */
function forgetTexts(key) {
  for (const waiting of Object.values(shared.listeners)) waiting?.delete(key);
}

/**
 * Loads the texts of `locale` into `shared.catalogs`: the text when the file answers in time and
 * is the texts of `locale` in full (it opens with an entry naming the locale and closes with one
 * naming it again: not a portal's "page not found" served with 200, another language or a cut
 * file), else the time of the failure, logged with `console.warn` unless this is a retry
 * (`again`). Then calls back the widgets waiting (see [`catalogReady`]), which render again.
 */
function loadTexts(locale, again) {
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error(`no answer in ${TEXTS_TIMEOUT_MS} ms`)), TEXTS_TIMEOUT_MS);
  return fetch(catalogUrl(locale), { signal: stop.signal })
    .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then((text) => {
      if (!text.startsWith(`locale\u001f${locale}\u001e`) || !text.endsWith(`\u001eend\u001f${locale}\u001e`)) {
        throw new Error(`the file is not the ${locale} texts`);
      }
      return text;
    })
    .then(
      (text) => {
        shared.catalogs[locale] = text;
        shared.retrying[locale] = null;
        callBack(locale);
      },
      (error) => {
        shared.catalogs[locale] = Date.now();
        shared.retrying[locale] = null;
        if (!again) console.warn(`abrir-chamado: the ${locale} texts could not be loaded; the widget speaks Portuguese until they can.`, error);
        callBack(locale);
      },
    )
    .finally(() => clearTimeout(timer));
}

/** Calls (and forgets) every widget waiting on the texts of `locale`; one failing call stops no other. */
function callBack(locale) {
  const waiting = shared.listeners[locale];
  shared.listeners[locale] = null;
  waiting?.forEach((call) => {
    try {
      call();
    } catch (error) {
      console.error("abrir-chamado:", error);
    }
  });
}

/**
 * The texts of `locale` for the widget (`i18n::catalog_text`'s format), once loaded by
 * [`catalogReady`]; `undefined` before, for Portuguese, or after a failed load.
 */
export function catalogText(locale) {
  const text = shared.catalogs[locale];
  return typeof text === "string" ? text : undefined;
}

/**
 * Where the catalog of `locale` is: the entry says where (versioned by its content); without the
 * entry, beside the fallback stylesheet (see [`stylesheetUrl`]).
 */
function catalogUrl(locale) {
  return shared.boot?.catalogs?.[locale] ?? new URL(`../../../../abrir-chamado.${locale}.txt`, import.meta.url).href;
}

/**
 * The locale the widget reads for `el` with `opts` (src/embed/mod.rs, core/src/i18n.rs): the
 * `locale` option, else the nearest `lang` (through shadow roots); the primary subtag picks `en`
 * or `es`, anything else `pt-BR`.
 */
function localeOf(el, opts) {
  let tag = "";
  try {
    if (typeof opts?.locale === "string") tag = opts.locale.trim();
  } catch (_) {
    // A throwing getter or a revoked Proxy: the widget reports the option; no texts to load.
    return "pt-BR";
  }
  for (let at = el; !tag && at; at = at.getRootNode()?.host) {
    const owner = at.closest?.("[lang]");
    if (owner) {
      tag = owner.getAttribute("lang").trim();
      break;
    }
  }
  const primary = tag.toLowerCase().split(/[-_]/)[0];
  return primary === "en" ? "en" : primary === "es" ? "es" : "pt-BR";
}

// What a customer who pressed "Abrir chamado" reads when the widget's code could not be loaded
// (the widget's own texts are in the WebAssembly that did not arrive), by the first paint's
// locale.
const LOAD_FAILED = {
  form: {
    "pt-BR": "Não foi possível carregar o formulário. Verifique sua conexão e envie de novo: o que você escreveu continua aqui.",
    en: "The form could not be loaded. Check your connection and send again: what you wrote is still here.",
    es: "No se pudo cargar el formulario. Revise su conexión y envíe de nuevo: lo que escribió sigue aquí.",
  },
  launcher: {
    "pt-BR": "Não foi possível carregar o formulário. Verifique sua conexão e tente de novo.",
    en: "The form could not be loaded. Check your connection and try again.",
    es: "No se pudo cargar el formulario. Revise su conexión e inténtelo de nuevo.",
  },
};

// The button of a widget that could not be loaded, which loads it again.
const RETRY = { "pt-BR": "Tentar de novo", en: "Try again", es: "Intentar de nuevo" };
// What the widget announces while it sends a ticket (core/src/i18n.rs, "sending"), by locale.
const SENDING = { "pt-BR": "Enviando o chamado…", en: "Sending the ticket…", es: "Enviando la solicitud…" };
// What the press announces instead when a required field is empty: the widget shows what is
// missing once its code arrives, and sends nothing.
const CHECKING = { "pt-BR": "Verificando o formulário…", en: "Checking the form…", es: "Verificando el formulario…" };
// What a press on the modal's launcher announces until the widget opens the dialog.
const OPENING = { "pt-BR": "Abrindo o formulário…", en: "Opening the form…", es: "Abriendo el formulario…" };

/** Puts `texts` (by the first paint's locale), or nothing, in the first paint's live region. */
function announce(painted, texts) {
  const live = painted.querySelector("[role=status][aria-live]");
  if (live) live.textContent = texts ? textIn(texts, painted.querySelector("[lang]")?.getAttribute("lang")) : "";
}

/**
 * A first paint whose customer pressed "Abrir chamado" looks and behaves as the widget does
 * while it sends (`on`): the form busy and greyed, nothing in it editable or pressable,
 * "Enviando o chamado…" announced ("Verificando o formulário…" while a required field is empty,
 * since the widget will then ask for it instead of sending); so nothing typed after the press is
 * left out of the ticket.
 * The focus stays where it is (a screen reader keeps its place): text fields become read-only,
 * the focused control is marked `aria-disabled`, the others disabled. Undone (`!on`) when the
 * widget's code could not be loaded, or on `reset()`.
 */
function sending(painted, on) {
  const form = painted.querySelector("form");
  if (form) {
    if (on) form.setAttribute("aria-busy", "true");
    else form.removeAttribute("aria-busy");
    const focused = painted.getRootNode().activeElement;
    for (const control of form.querySelectorAll("input, textarea, button")) {
      if (control.type !== "radio" && control.matches("input, textarea")) control.readOnly = on;
      else if (on && control === focused) control.setAttribute("aria-disabled", "true");
      else {
        control.disabled = on;
        control.removeAttribute("aria-disabled");
      }
    }
  }
  const empty = [...(form?.querySelectorAll(":is(input, textarea)[aria-required=true]") ?? [])].some((c) => !c.value.trim());
  announce(painted, on && (empty ? CHECKING : SENDING));
}

/**
 * Drops the press the first paint `painted` holds for the widget ("Abrir chamado", `data-submit`,
 * or the modal's launcher, `data-open`), and what shows it: the sending look and announcement,
 * the launcher's busy mark.
 */
function dropPress(painted) {
  painted.removeAttribute("data-submit");
  painted.removeAttribute("data-open");
  sending(painted, false);
  painted.querySelector(".ac-launcher")?.removeAttribute("aria-busy");
}

/** How long a press on "Abrir chamado" or the launcher waits for the widget's code, in ms. */
const PRESS_WAIT_MS = 20000;

/**
 * Gives the first paint `painted` back to its customer, saying the widget could not be loaded:
 * the press is dropped (the message asks for another, which loads again: a download that failed
 * is over, and one that stalled is aborted when a press gives the form back).
 */
function tellLoadFailedIn(painted) {
  dropPress(painted);
  // Above the form's buttons, or under the modal's launcher.
  const actions = painted.querySelector(".ac-actions");
  const launcher = painted.querySelector(".ac-launcher");
  if (!actions && !launcher) return;
  let note = painted.querySelector(".ac-load-failed");
  if (!note) {
    note = document.createElement("p");
    note.className = "ac-banner ac-banner-error ac-load-failed";
    note.setAttribute("role", "alert");
    actions ? actions.before(note) : launcher.after(note);
  }
  const texts = LOAD_FAILED[actions ? "form" : "launcher"];
  note.textContent = textIn(texts, painted.querySelector("[lang]")?.getAttribute("lang"));
}

// Events that show the customer means to use the widget: inline, a focus, pointer or key in
// it; `mode="modal"` also a hover over the launcher.
const INTENT = ["focusin", "pointerdown", "touchstart", "keydown"];

/**
 * `loading`: "eager" (or absent) loads at once; "lazy" when the element comes within 200 px of
 * the viewport (inline mode) or on the customer's first intent in it (both modes). The
 * listeners and the observer go away when the load starts or the element is removed for good.
 */
function whenToLoad(el, opts) {
  const lazy = typeof opts.loading === "string" && opts.loading.trim().toLowerCase() === "lazy";
  if (!lazy) return startLoad();
  const s = get(el);
  if (s.intent || shared.loading) return;
  const intent = (s.intent = new AbortController());
  const go = () => startLoad();
  const modal = typeof opts.mode === "string" && opts.mode.trim() === "modal";
  // A modal whose launcher cannot be painted early (options the first paint waits for) has
  // nothing to hover, focus or touch: it loads at once, so the launcher appears.
  if (modal && !el.shadowRoot?.querySelector(".ac-root[data-first-paint]")) return startLoad();
  for (const type of modal ? [...INTENT, "pointerover"] : INTENT) {
    el.addEventListener(type, go, { signal: intent.signal, capture: true, passive: true });
  }
  if (!modal && typeof IntersectionObserver === "function") {
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && go(), {
      rootMargin: "200px",
    });
    observer.observe(el);
    intent.signal.addEventListener("abort", () => observer.disconnect());
  }
}

// ---- First paint --------------------------------------------------------------------------

// Options that change the form beyond what is prerendered: with any of them the first paint
// waits for the WebAssembly rather than show a wrong form.
const UNPRERENDERED = ["telefone", "services", "tipos", "locked", "labels", "invalid_attributes"];
const DRAFT_PREFIX = "abrir-chamado:rascunho:";
// The fields of a draft, core/src/form.rs's Field::ALL keys.
const DRAFT_FIELDS = ["id_cliente_servico", "nome", "telefone", "email", "descricao", "id_tipo_atendimento"];

/**
 * Saves what the customer typed into `el`'s first paint as their draft (the fields they typed
 * into; the others blank, so the host's values of the next visit fill them), as the widget saves one
 * (core/src/draft.rs: the key of the endpoint, service and draft key, under the options it was
 * typed with; the version-3 format), so that a reload, or a phone discarding the tab, before the
 * widget has arrived loses nothing: the widget restores it. When every typed field is empty
 * again, the draft is deleted instead. Only a first paint typed into.
 */
function saveEarlyDraft(el) {
  const painted = el.shadowRoot?.querySelector(".ac-root[data-first-paint]");
  const typed = painted ? [...painted.querySelectorAll("[data-typed]")] : [];
  if (!typed.length) return;
  const opts = get(el).typedOpts ?? options(el);
  // The endpoint as core/src/endpoint.rs writes it: scheme in lower case, no trailing "/".
  const endpoint = typeof opts.endpoint === "string" && /^(https?):\/\/([^/]*)(.*)$/i.exec(opts.endpoint.trim());
  const suffix = draftSuffix(opts);
  if (!endpoint || !suffix) return;
  // Only what the customer typed or chose (core/src/draft.rs `changes`): the host's values of the
  // next visit fill the rest.
  let text = "v3";
  for (const name of DRAFT_FIELDS) {
    const field = painted.querySelector(`[name="${name}"]:is(:checked, :not([type=radio]))[data-typed]`);
    text += `\x1f${name}=${(field?.value ?? "").replaceAll("\x1f", "")}`;
  }
  const key = `${DRAFT_PREFIX}v2|${endpoint[1].toLowerCase()}://${endpoint[2]}${endpoint[3].replace(/\/+$/, "")}${suffix}`;
  try {
    if (typed.some((field) => field.value.trim())) window.localStorage.setItem(key, text);
    else window.localStorage.removeItem(key);
  } catch (_) {
    // storage blocked or full: nothing saved, as for the widget
  }
}

/**
 * As the widget does (`use_draft`): a save 400 ms after the last keystroke in the first paint,
 * and a save still waiting written at once when the page is hidden or left or the element
 * removed (`flushEarlyDraft`), so a page that clears storage at logout right after never gets
 * the text back.
 */
function scheduleEarlyDraft(el) {
  const s = get(el);
  clearTimeout(s.draftSave);
  s.draftSave = setTimeout(() => {
    s.draftSave = 0;
    saveEarlyDraft(el);
  }, 400);
}

function flushEarlyDraft(el) {
  const s = get(el);
  if (!s.draftSave) return;
  clearTimeout(s.draftSave);
  s.draftSave = 0;
  saveEarlyDraft(el);
}

// The page hidden (a switch to another app, after which a phone may discard the tab) or left.
const flushEarlyDrafts = () => waiting.forEach((el) => el instanceof HTMLElement && flushEarlyDraft(el));
addEventListener("pagehide", flushEarlyDrafts);
document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && flushEarlyDrafts());

/**
 * The prerendered variant for `el`'s options (the keys of src/components/first_paint.rs's
 * VARIANTS), or null when the first paint must wait: a missing endpoint (a configuration error
 * will show), an option that changes the form, a saved draft (the widget restores it), a bad
 * `mode` or service id.
 */
function variantKey(el, opts) {
  // An empty list of locked fields or of label overrides changes nothing.
  const empty = (v) => (Array.isArray(v) ? v.length === 0 : v?.constructor === Object && Object.keys(v).length === 0);
  const given = (v) => v !== undefined && v !== null && v !== "" && !empty(v);
  if (typeof opts.endpoint !== "string" || !plausibleEndpoint(opts.endpoint)) return null;
  if (UNPRERENDERED.some((k) => given(opts[k]))) return null;
  if (!plausibleValues(opts)) return null;
  const mode = typeof opts.mode === "string" ? opts.mode.trim() || "inline" : given(opts.mode) ? null : "inline";
  if (mode !== "inline" && mode !== "modal") return null;
  const id = opts.id_cliente_servico;
  const service = !given(id) || String(id).trim() === "" ? "typed" : /^\s*[1-9][0-9]{0,14}\s*$/.test(String(id)) ? "fixed" : null;
  if (!service) return null;
  // This customer's saved draft (the widget restores it into the form; the modal's form is not
  // painted early, so it does not matter there).
  if (mode === "inline" && hasDraft(draftSuffix(opts))) return null;
  const locale = localeOf(el, opts);
  return mode === "modal" ? `${locale} modal fixed` : `${locale} inline ${service}`;
}

/**
 * Whether a draft is saved for this service and customer (core/src/draft.rs's key, `…|endpoint|
 * service|customer`, ending with `suffix`), on any endpoint: the endpoint's spelling is the core's
 * to normalise, so a draft for the same service and customer elsewhere also makes it wait.
 */
function hasDraft(suffix) {
  return draftKeys(suffix).length > 0;
}

/**
 * The `localStorage` keys of the drafts ending with `suffix` (none without one, or storage);
 * with `marks`, the marks of sends in flight and the intent ids beside them too
 * (core/src/draft.rs `in_flight_key` and `intent_key`: the same tail under
 * `abrir-chamado:envio:` and `abrir-chamado:intencao:`).
 */
function draftKeys(suffix, marks) {
  const keys = [];
  if (!suffix) return keys;
  try {
    const storage = window.localStorage;
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      const ours = key?.startsWith(DRAFT_PREFIX) || (marks && /^abrir-chamado:(envio|intencao):/.test(key));
      if (ours && key.endsWith(suffix)) keys.push(key);
    }
  } catch (_) {
    // storage blocked: no draft either
  }
  return keys;
}

/**
 * The end of the draft keys of `opts`'s service and customer (`|service|customer`, as
 * core/src/draft.rs writes them), or null for a service id the widget would refuse.
 */
function draftSuffix(opts) {
  const id = opts.id_cliente_servico;
  const text = id === undefined || id === null ? "" : String(id).trim();
  if (text !== "" && !/^[1-9][0-9]{0,14}$/.test(text)) return null;
  const customer = typeof opts.draft_key === "string" && opts.draft_key.trim() ? opts.draft_key.trim() : "-";
  return `|${text || "-"}|${customer}`;
}

/**
 * Deletes the drafts of `opts`'s service and customer, on any endpoint (as [`hasDraft`] finds
 * them), and the marks of their sends in flight (which hold the request body): a `reset()`
 * before the widget has loaded, so that a portal that resets at logout and leaves leaves no
 * text behind even if the widget never loads.
 */
function deleteDrafts(opts) {
  for (const key of draftKeys(draftSuffix(opts), true)) {
    try {
      window.localStorage.removeItem(key);
    } catch (_) {
      // storage blocked: nothing to delete
    }
  }
}

/**
 * The endpoint rules of core/src/endpoint.rs, as far as they decide between a form and a
 * configuration error: https, or http on a loopback host; no user info, query or fragment.
 * A value the core would still refuse shows the error when the widget loads.
 */
function plausibleEndpoint(text) {
  let url;
  try {
    url = new URL(text.trim());
  } catch (_) {
    return false;
  }
  if (url.username || url.password || url.search || url.hash || /[?#]/.test(text)) return false;
  const host = url.hostname;
  const loopback = host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "[::1]";
  return url.protocol === "https:" || (url.protocol === "http:" && loopback);
}

/** `loading`, `timeout-ms` and `idempotency-key` as the core accepts them (core/src/options.rs). */
function plausibleValues(opts) {
  const text = (v) => (typeof v === "string" ? v.trim() : v);
  const loading = text(opts.loading);
  if (loading !== undefined && loading !== null && loading !== "" && !/^(eager|lazy)$/i.test(loading)) return false;
  const timeout = text(opts.timeout_ms);
  if (timeout !== undefined && timeout !== null && timeout !== "") {
    const ms = typeof timeout === "number" ? timeout : /^[0-9]+$/.test(timeout) ? Number(timeout) : NaN;
    if (!(Number.isInteger(ms) && ms >= 1000 && ms <= 300000)) return false;
  }
  const key = opts.idempotency_key;
  if (key !== undefined && key !== null && ![true, false, "", "true", "false"].includes(typeof key === "string" ? key.trim() : key)) return false;
  return true;
}

/**
 * Shows the prerendered form in `el`'s shadow root while the WebAssembly loads: the one the
 * page brought as Declarative Shadow DOM, or the entry's markup for `el`'s options (again at
 * each option change, until the customer types). Its `nome`/`email` prefills are filled in; the
 * fields the customer types into are marked (`data-typed`), a submit (button or Enter) is kept
 * for the widget (`data-submit`), a press on the modal launcher too (`data-open`), and either
 * starts loading.
 */
function paintFirst(el, opts) {
  const s = get(el);
  let root = el.shadowRoot;
  let painted = root?.querySelector(".ac-root[data-first-paint]");
  // Another customer (draft-key) or endpoint while the first paint holds what the previous one
  // typed: their text leaves the screen now, and the widget, loaded at once, takes it over under
  // the options it was typed with, saves it as that customer's draft and switches to this one
  // (as it does for a change after loading). Their pending submit or launcher press is dropped.
  if (painted && s.typedOpts && customerOf(s.typedOpts) !== customerOf(opts)) {
    painted.style.setProperty("display", "none", "important");
    painted.inert = true;
    dropPress(painted);
    startLoad();
    return;
  }
  if (painted?.inert) {
    // Back to the customer who typed it.
    painted.style.removeProperty("display");
    painted.inert = false;
  }
  const key = variantKey(el, opts);
  // The host changed options before the widget arrived and the customer has not started: show
  // the form of the new options (or nothing, if it cannot be prerendered). A page's own
  // Declarative Shadow DOM is left as the page wrote it.
  // A customer already in the form (focus in a field or on a button) keeps the focus, the caret
  // and the next keystroke: the same control in the new form is focused, or, when the new
  // options cannot be prerendered, the form stays as it is (as a typed one does) and the widget
  // applies them at the takeover.
  const ours = painted?.getAttribute("data-variant");
  const markup = key && shared.boot?.paints?.[key];
  let focus = null;
  if (ours && ours !== key && !painted.querySelector("[data-typed]") && !painted.hasAttribute("data-submit")) {
    focus = focusIn(root, painted);
    if (markup || !focus) {
      root.replaceChildren();
      painted = null;
    }
  }
  if (!painted) {
    if (!markup || root?.childNodes.length) return;
    try {
      root ??= el.attachShadow({ mode: "open" });
    } catch (_) {
      return; // elements that cannot host a shadow root wait for the widget
    }
    painted = document.createElement("div");
    painted.className = "ac-root";
    painted.setAttribute("data-first-paint", "");
    painted.setAttribute("data-variant", key);
    painted.innerHTML = markup;
    // Without constructable stylesheets (iOS 15) the stylesheet is a file: the form shows once
    // it has arrived (or failed), never unstyled, with the page's own styles reaching in.
    const link = styleRoot(root);
    if (link) {
      const shown = painted;
      shown.style.setProperty("display", "none");
      // (A `display: none !important` is another customer's hidden form: it stays hidden.)
      // The focus a host change took from the customer comes back once it can (refocus).
      const wanted = focus;
      const show = () => {
        if (shown.style.getPropertyPriority("display")) return;
        shown.style.removeProperty("display");
        if (wanted && !shown.querySelector(":focus")) refocus(shown, wanted);
      };
      link.addEventListener("load", show, { once: true });
      link.addEventListener("error", show, { once: true });
    }
    root.append(painted);
  }
  // A form the page brought (Declarative Shadow DOM) may have been typed into before this
  // script ran: what differs from the markup's own value was typed.
  if (!guarded.has(painted)) {
    for (const field of painted.querySelectorAll("input, textarea")) {
      if (field.value !== field.defaultValue) field.setAttribute("data-typed", "");
    }
    if (painted.querySelector("[data-typed]")) s.typedOpts ??= opts;
  }
  // Host prefills, in the fields the customer has not typed into (as the widget does).
  for (const name of ["nome", "email"]) {
    const input = painted.querySelector(`[name="${name}"]:not([data-typed])`);
    if (input) input.value = typeof opts[name] === "string" ? opts[name] : "";
  }
  if (focus && !painted.contains(painted.getRootNode().activeElement)) refocus(painted, focus);
  if (guarded.has(painted)) return;
  guarded.add(painted);
  // A page's own snippet whose stylesheet link is wrong (or blocked) is styled from here on.
  if (!ours) adoptSheet(root);
  // The listeners live on the prerendered container and go with it at the takeover.
  // What the customer typed is marked: the widget carries those fields over, and takes the
  // host's values for the others.
  // `change` too: a script or password manager may set a value and send only that.
  const typed = (e) => {
    e.target.setAttribute?.("data-typed", "");
    s.typedOpts ??= options(el);
    scheduleEarlyDraft(el);
  };
  painted.addEventListener("input", typed);
  painted.addEventListener("change", typed);
  // A word an input method is composing (phone keyboards compose each word): the widget takes
  // the fields over once it has ended (`abrir-chamado:composed`). It ends (`compositionend`)
  // when committed or when the field is left; left by a press on the form (a tap on "Abrir
  // chamado" while the word is open), the press lands first, or the swap would take the
  // button from under the finger.
  let pointerDown = false;
  painted.addEventListener("pointerdown", () => (pointerDown = true));
  for (const type of ["pointerup", "pointercancel"]) painted.addEventListener(type, () => setTimeout(() => (pointerDown = false)));
  const composed = () => {
    pointerDown = false;
    if (!painted.hasAttribute("data-composing")) return;
    painted.removeAttribute("data-composing");
    painted.dispatchEvent(new Event("abrir-chamado:composed"));
  };
  painted.addEventListener("compositionstart", () => painted.setAttribute("data-composing", ""));
  painted.addEventListener("compositionend", () => {
    if (!pointerDown) return composed();
    // After the click and what it does (a submit): the next task after it; at the latest 1 s
    // on (a release elsewhere sends no click).
    painted.addEventListener("click", () => setTimeout(composed), { once: true });
    setTimeout(composed, 1000);
  });
  // A press waits for the widget at most PRESS_WAIT_MS (a stalled download): then the form is
  // the customer's again, with the message of a widget that could not be loaded, and the stalled
  // load is aborted, so that the next press starts a fresh one.
  let giveBack = 0;
  const pressed = (mark) => {
    painted.querySelector(".ac-load-failed")?.remove();
    painted.setAttribute(mark, "");
    clearTimeout(giveBack);
    giveBack = setTimeout(() => {
      if (shared.mount || !painted.hasAttribute(mark)) return;
      tellLoadFailedIn(painted);
      shared.stop?.abort();
    }, PRESS_WAIT_MS);
    startLoad();
  };
  painted.addEventListener("submit", (e) => {
    e.preventDefault();
    if (painted.hasAttribute("data-submit")) return; // already waiting for the widget
    sending(painted, true);
    pressed("data-submit");
  });
  painted.addEventListener("click", (e) => {
    const launcher = e.target.closest?.(".ac-launcher");
    if (launcher) {
      // Seen and announced at once: the dialog opens when the widget has arrived.
      launcher.setAttribute("aria-busy", "true");
      announce(painted, OPENING);
      pressed("data-open");
    }
  });
  // The dialog is no longer wanted once the customer presses Escape or moves on to another
  // control of the page: the widget would otherwise open it, and take the focus, later.
  const cancelOpen = () => painted.hasAttribute("data-open") && dropPress(painted);
  painted.addEventListener("keydown", (e) => e.key === "Escape" && cancelOpen());
  painted.addEventListener("focusout", (e) => {
    const to = e.relatedTarget;
    if (to && !painted.contains(to) && !el.contains(to)) cancelOpen();
  });
}

/**
 * Where focus is in the first paint `painted` (inside the shadow root `root`): a selector that
 * finds the same control in another variant's markup (a field by its `name`, a radio by its
 * value too, a button by its first class or type) and the caret (`selectionStart`, `…End`,
 * `…Direction`, absent for controls without one); null when focus is not in it.
 */
function focusIn(root, painted) {
  const at = root?.activeElement;
  if (!at || !painted.contains(at)) return null;
  const name = at.getAttribute("name");
  const selector = name
    ? `[name="${CSS.escape(name)}"]${at.type === "radio" ? `[value="${CSS.escape(at.value)}"]` : ""}`
    : at.classList.length
      ? `${at.localName}.${CSS.escape(at.classList[0])}`
      : `${at.localName}[type="${CSS.escape(at.getAttribute("type") ?? "")}"]`;
  let caret = null;
  try {
    if (typeof at.selectionStart === "number") caret = [at.selectionStart, at.selectionEnd, at.selectionDirection];
  } catch (_) {
    // inputs without a selection (radio, checkbox) throw on reading it
  }
  return { selector, caret };
}

/** Focuses the control `focus` (from `focusIn`) names in `painted`, caret included, if it is there. */
function refocus(painted, focus) {
  const at = painted.querySelector(focus.selector);
  if (!at) return;
  at.focus({ preventScroll: true });
  try {
    if (focus.caret) at.setSelectionRange(...focus.caret);
  } catch (_) {
    // the control has no selection
  }
}

/** Whose form it is, as the widget tells customers apart: the endpoint and the draft key. */
function customerOf(opts) {
  return JSON.stringify([opts.endpoint ?? null, opts.draft_key ?? null]);
}

/** Adopts the entry's stylesheet (one constructed sheet for every element); false without support. */
function adoptSheet(root) {
  if (!shared.boot?.css || !("adoptedStyleSheets" in root)) return false;
  try {
    if (!shared.sheet) {
      shared.sheet = new CSSStyleSheet();
      shared.sheet.replaceSync(shared.boot.css);
    }
    root.adoptedStyleSheets = [shared.sheet];
    return true;
  } catch (_) {
    return false;
  }
}

// ---- mount() from script ------------------------------------------------------------------

/**
 * What `mount(element, options)` from the stable entry returns: the widget's handle, or, until
 * the WebAssembly has arrived, a stand-in that keeps the latest options and the calls made, and
 * mounts the widget when it can (a `destroy()` before that cancels the mount).
 */
export class WidgetHandle {
  constructor(element, options) {
    this.element = element;
    this.options = options;
    this.handle = null;
    this.dialog = null;
    this.destroyed = false;
  }

  /** Called with the widget's `mount` once the WebAssembly is ready. */
  attach(mount) {
    if (this.destroyed) return;
    // English and Spanish texts first (see `catalogReady`); the latest options then.
    if (!catalogReady(localeOf(this.element, this.options), () => this.update(this.options), this)) return;
    this.handle = mount(this.element, this.options);
    if (this.resetPending) this.handle.reset();
    if (this.dialog !== null) this.dialog ? this.handle.open() : this.handle.close();
  }

  update(options) {
    this.options = options;
    if (this.destroyed || (!this.handle && !shared.mount && !shared.loading)) return;
    // The texts of a new language: loaded (with the WebAssembly when it is still on its way),
    // and this called again when they are here. A mounted widget takes the options at once
    // (keeping the language it shows until then); one waiting for its texts mounts as soon as
    // the new language's are here.
    const ready = catalogReady(localeOf(this.element, options), () => this.update(this.options), this);
    if (this.handle) this.handle.update(options);
    else if (ready && shared.mount) this.attach(shared.mount);
  }

  /** Before the widget has loaded: the draft is deleted now, and the widget starts clear. */
  reset() {
    if (this.handle) return this.handle.reset();
    deleteDrafts(this.options ?? {});
    this.resetPending = true;
  }

  open() {
    if (this.handle) this.handle.open();
    else this.dialog = true;
  }

  close() {
    if (this.handle) this.handle.close();
    else this.dialog = false;
  }

  saveDraft() {
    this.handle?.saveDraft();
  }

  destroy() {
    this.destroyed = true;
    waiting.delete(this);
    forgetTexts(this);
    this.handle?.destroy();
  }

  free() {
    this.handle?.free();
    this.handle = null;
  }
}

/**
 * Mounts the widget in `element` with `options` (see the README's JavaScript API). Loads the
 * WebAssembly at once if it is not there yet; the returned handle works either way.
 */
export function mount(element, options) {
  // The same error the widget's own mount gives, at once rather than when the wasm arrives.
  if (!(element instanceof Element)) throw new TypeError("abrir-chamado: mount(element, options) needs an element");
  const handle = new WidgetHandle(element, options);
  if (shared.mount) handle.attach(shared.mount);
  else {
    waiting.add(handle);
    startLoad();
    // Loading was already under way: this widget's texts go with it.
    if (shared.loading) catalogReady(localeOf(element, options), () => {}, handle);
  }
  return handle;
}

/**
 * Styles `root` (the widget's shadow root, or the element itself where no shadow root can be
 * attached): the entry's stylesheet adopted where constructable stylesheets exist, otherwise a
 * `<link>` to `abrir-chamado.css` (added once). Returns the `<link>` it added, or null. The wasm
 * carries no copy of the stylesheet.
 */
export function styleRoot(root) {
  if (adoptSheet(root)) return null;
  const href = stylesheetUrl();
  for (const link of root.querySelectorAll("link[rel=stylesheet]")) if (link.href === href) return null;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  root.append(link);
  return link;
}

/**
 * The URL of the fallback stylesheet `abrir-chamado.css`, which scripts/post-build.mjs writes
 * beside the entry: the entry says where (`cssUrl`); without the entry, this file ships in
 * `snippets/<crate>-<hash>/src/embed/` (wasm-bindgen's layout for JS snippets) in the same
 * folder, so it sits four folders up.
 */
export function stylesheetUrl() {
  return shared.boot?.cssUrl ?? new URL("../../../../abrir-chamado.css", import.meta.url).href;
}

// The first copy in the page serves every other: the snippet the wasm-bindgen glue imports
// forwards to it (scripts/post-build.mjs, `forwarder`), so the shim is downloaded once.
shared.api ??= { defineElement, WidgetHandle, mount, stylesheetUrl, styleRoot, catalogText, catalogPending };
