// Demo customer portal ("Central do Assinante" of the made-up ISP "Provedor Exemplo").
//
// What a real portal does with <abrir-chamado>: simple options are attributes in index.html,
// rich ones are properties set here, and the page listens to the widget's events. The element
// is defined by the widget's own module (Trunk's loader starts it on this page); properties set
// before that are picked up when the element upgrades.
//
// No inline script or style: this file and demo.css are everything the page adds, so the page
// works under a strict Content-Security-Policy.

const widget = document.getElementById("abrir-chamado");

// ---------------------------------------------------------------------------------------------
// Widget options
// ---------------------------------------------------------------------------------------------

// The demo is served by `trunk serve` (which proxies /api/ and /demo/ to the gateway, in front of
// the mock Hubsoft) or by the mock itself, so the API is on this page's origin.
widget.setAttribute("endpoint", window.location.origin);

// The logged-in customer's services (contracts).
widget.services = [
  { id_cliente_servico: 11000, label: "Fibra 500 Mega – Rua das Flores, 123" },
  { id_cliente_servico: 11001, label: "Fibra 300 Mega – Av. Brasil, 900 (loja)" },
];

// The kinds of request ("tipos de atendimento") this ISP offers in its Hubsoft, and the fields
// fixed by the customer's registration (shown as text, not editable). Both are switched from the
// integrators' panel ("Opções do portal"): the fixed Nome is on by default (the portal knows the
// customer's name), the tipos choice off.
const TIPOS = [
  { id_tipo_atendimento: 109, label: "Sem acesso à internet" },
  { id_tipo_atendimento: 110, label: "Internet lenta" },
  { id_tipo_atendimento: 111, label: "Financeiro" },
];
const LOCKED = ["nome"];
const tiposBox = document.getElementById("opcao-tipos");
const lockedBox = document.getElementById("opcao-locked");
function applyPortalOptions() {
  widget.tipos = tiposBox.checked ? TIPOS : undefined;
  widget.locked = lockedBox.checked ? LOCKED : [];
}
applyPortalOptions();
// The widget applies changed properties at once, keeping what the customer typed.
for (const box of [tiposBox, lockedBox]) box.addEventListener("change", applyPortalOptions);

// Exactly one ticket per submit: the widget sends an Idempotency-Key header (a fresh key per
// intent, the same key when it resends), so a retry after a network failure can never open a
// second ticket. The gateway (scripts/demo.sh) allows the header in its CORS rules.
widget.setAttribute("idempotency-key", "");

// The token. In PRODUCTION this function calls the portal's OWN backend (for example
// `fetch("/minha-conta/token-chamado", { credentials: "same-origin" })`), which checks the
// customer's session and returns a short-lived portal token scoped to this customer (a JWT the
// gateway verifies: see the README's "Gateway" section). Hubsoft's API credentials
// (client_secret, API user and password) NEVER reach the browser. The widget calls this before
// each submit, and once more with `{ reason: "unauthorized" }` if the API answers 401.
// In this demo the gateway's demo route (`abrir-chamado-gateway --demo`) plays the portal
// backend: POST /demo/portal-token mints a 10-minute token for the demo customer (services 11000
// and 11001). When the page is served by the mock Hubsoft alone (the end-to-end tests), that
// route does not exist and the mock's fixed "demo-token" is used.
widget.tokenProvider = async ({ reason } = {}) => {
  log("portal", "tokenProvider", reason === "unauthorized"
    ? "Token expirado: pedindo um novo ao backend do portal."
    : "Pedindo um token de curta duração ao backend do portal.");
  try {
    const r = await fetch("/demo/portal-token", { method: "POST", credentials: "same-origin" });
    if (r.ok) return (await r.json()).token;
  } catch {
    // No gateway on this origin: fall through to the mock's token.
  }
  return "demo-token";
};

// ---------------------------------------------------------------------------------------------
// Event log
// ---------------------------------------------------------------------------------------------

const list = document.getElementById("eventos");
const empty = document.getElementById("eventos-vazio");
const MAX_ENTRIES = 50;

// A short, readable summary of each event's detail. Details never carry the token (and
// `invalid` carries field names only, never what the customer typed).
const SUMMARIES = {
  ready: () => "Widget pronto.",
  submit: () => "Enviando o chamado…",
  success: (d) => `Chamado aberto. Protocolo ${d.protocolo} (atendimento ${d.id_atendimento}).`,
  error: (d) =>
    `Falha “${d.kind}”, ${d.status == null ? "sem resposta HTTP" : `HTTP ${d.status}`}: ${d.message}`,
  invalid: (d) => `Campos a corrigir: ${(d.fields ?? []).join(", ") || "nenhum"}.`,
};

for (const [name, summary] of Object.entries(SUMMARIES)) {
  // The events bubble and are composed, so they could also be heard on `document`.
  widget.addEventListener(`abrir-chamado:${name}`, (event) => {
    log(name, `abrir-chamado:${name}`, summary(event.detail ?? {}));
  });
}

/** Adds an entry at the top of the log. Text only (textContent): nothing is parsed as HTML. */
function log(kind, label, text) {
  const item = document.createElement("li");
  item.className = `evento evento-${kind}`;
  const time = document.createElement("time");
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = now.toLocaleTimeString("pt-BR");
  const name = document.createElement("code");
  name.className = "evento-nome";
  name.textContent = label;
  const body = document.createElement("span");
  body.className = "evento-texto";
  body.textContent = text;
  item.append(time, " ", name, " ", body);
  list.prepend(item);
  while (list.children.length > MAX_ENTRIES) list.lastElementChild.remove();
  empty.hidden = true;
}

document.getElementById("limpar-eventos").addEventListener("click", () => {
  list.replaceChildren();
  empty.hidden = false;
});

// ---------------------------------------------------------------------------------------------
// Appearance
// ---------------------------------------------------------------------------------------------

// The ISP's brand for the form: CSS custom properties on the element (they cross the widget's
// shadow root). light-dark() follows the page's color-scheme, so the brand works in both modes.
// CSSOM writes like these are allowed under a strict CSP (unlike style="" attributes).
const THEMES = {
  padrao: {},
  marca: {
    "--abrir-chamado-primary": "light-dark(#0f766e, #5eead4)",
    "--abrir-chamado-on-primary": "light-dark(#ffffff, #042f2e)",
    "--abrir-chamado-radius": "14px",
    "--abrir-chamado-font": '"Trebuchet MS", "Liberation Sans", Arial, sans-serif',
  },
};
const THEMED = [...new Set(Object.values(THEMES).flatMap(Object.keys))];

function applyTheme(name) {
  const theme = THEMES[name] ?? THEMES.padrao;
  for (const property of THEMED) {
    if (property in theme) widget.style.setProperty(property, theme[property]);
    else widget.style.removeProperty(property);
  }
}

for (const radio of document.querySelectorAll('input[name="tema"]')) {
  radio.addEventListener("change", () => {
    if (radio.checked) applyTheme(radio.value);
  });
  if (radio.checked) applyTheme(radio.value);
}

// Light/dark: follows the system until the customer presses the button, then `color-scheme` on
// the page (see demo.css) decides, for the page and for the widget.
const schemeButton = document.getElementById("alternar-esquema");
const prefersDark = window.matchMedia("(prefers-color-scheme: dark)");
const isDark = () =>
  document.documentElement.dataset.esquema
    ? document.documentElement.dataset.esquema === "escuro"
    : prefersDark.matches;
const syncSchemeButton = () => schemeButton.setAttribute("aria-pressed", String(isDark()));

schemeButton.addEventListener("click", () => {
  document.documentElement.dataset.esquema = isDark() ? "claro" : "escuro";
  syncSchemeButton();
});
prefersDark.addEventListener("change", syncSchemeButton);
syncSchemeButton();
