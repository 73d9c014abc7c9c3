// The <abrir-chamado> custom element: a thin JavaScript shim over the Rust `mount` API
// (wasm-bindgen cannot define a class that extends HTMLElement, wasm-bindgen #2853).
// Attributes carry every option but the token provider (rich ones as JSON), properties the
// rich ones as values; every change re-renders the widget through `handle.update(options)`.
// The element is defined as soon as this module runs, before the WebAssembly is ready
// (`defineElement()` from the stable entry); it mounts the widget once `mount` arrives.
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

// The widget's `mount`, once the WebAssembly is ready (`null` before), and the elements that
// asked to render before that.
let mountWidget = null;
const waiting = new Set();
const state = new WeakMap();
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
export function defineElement(mount) {
  if (mount && !mountWidget) {
    mountWidget = mount;
    for (const el of waiting) schedule(el);
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
      // way a draft save still waiting is written now, not after the host's next statement
      // (which may clear storage at logout).
      const s = get(this);
      s.handle?.saveDraft();
      clearTimeout(s.removal);
      s.removal = setTimeout(() => {
        s.removal = undefined;
        if (!this.isConnected && s.handle) {
          s.handle.destroy();
          s.handle.free();
          s.handle = null;
        }
      }, REMOVAL_GRACE_MS);
    }

    attributeChangedCallback() {
      schedule(this);
    }

    /** Clears the form back to the host's values. */
    reset() {
      get(this).handle?.reset();
    }

    /** mode="modal": opens the dialog. */
    open() {
      get(this).handle?.open();
    }

    /** mode="modal": closes the dialog; focus returns to the launcher. */
    close() {
      get(this).handle?.close();
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
  if (s.handle) s.handle.update(options(el));
  else if (mountWidget) s.handle = mountWidget(el, options(el));
  else waiting.add(el);
}

/**
 * The URL of the fallback stylesheet `abrir-chamado.css`, which scripts/post-build.mjs writes
 * beside the entry. This file ships as `snippets/<crate>-<hash>/src/embed/element.js`
 * (wasm-bindgen's layout for JS snippets) in the same folder, so it sits four folders up.
 */
export function stylesheetUrl() {
  return new URL("../../../../abrir-chamado.css", import.meta.url).href;
}
