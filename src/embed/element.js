// The <abrir-chamado> custom element: a thin JavaScript shim over the Rust `mount` API
// (wasm-bindgen cannot define a class that extends HTMLElement, wasm-bindgen #2853).
// Attributes carry simple options, properties rich ones; every change re-renders the widget
// through `handle.update(options)`. Removing the element for good (longer than
// REMOVAL_GRACE_MS) destroys the widget; moving it keeps it.

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

export function defineElement(mount) {
  if (customElements.get("abrir-chamado")) return;
  const state = new WeakMap();
  const get = (el) => {
    let s = state.get(el);
    if (!s) state.set(el, (s = { props: {}, handle: null, pending: false }));
    return s;
  };

  class AbrirChamado extends HTMLElement {
    static get observedAttributes() {
      return Object.keys(ATTRIBUTES);
    }

    connectedCallback() {
      // Back within the grace period after a removal: this is a move, keep the widget.
      const s = get(this);
      clearTimeout(s.removal);
      s.removal = undefined;
      // Properties set before the element was defined shadow the accessors: re-set them. One
      // the page made unreadable or undeletable is left as it is (the widget goes without it).
      for (const name of Object.keys(PROPERTIES)) {
        if (Object.prototype.hasOwnProperty.call(this, name)) {
          try {
            const value = this[name];
            delete this[name];
            this[name] = value;
          } catch (_) {
            // not ours to fix
          }
        }
      }
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
      get() {
        return get(this).props[name];
      },
      set(value) {
        get(this).props[name] = value;
        schedule(this);
      },
    });
  }

  function options(el) {
    const opts = {};
    for (const [attr, key] of Object.entries(ATTRIBUTES)) {
      if (el.hasAttribute(attr)) opts[key] = el.getAttribute(attr);
    }
    for (const [prop, key] of Object.entries(PROPERTIES)) {
      const value = get(el).props[prop];
      if (value !== undefined) opts[key] = value;
    }
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
    else s.handle = mount(el, options(el));
  }

  customElements.define("abrir-chamado", AbrirChamado);
}

/**
 * The URL of the fallback stylesheet `abrir-chamado.css`, which scripts/post-build.mjs writes
 * beside the entry. This file ships as `snippets/<crate>-<hash>/src/embed/element.js`
 * (wasm-bindgen's layout for JS snippets) in the same folder, so it sits four folders up.
 */
export function stylesheetUrl() {
  return new URL("../../../../abrir-chamado.css", import.meta.url).href;
}
