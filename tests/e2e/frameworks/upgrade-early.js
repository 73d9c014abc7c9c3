// Properties set on the element before <abrir-chamado> is defined (own data properties): the
// element must take them over when it is defined (the "upgrade" case).
const el = document.getElementById("w");
el.services = [
  { id_cliente_servico: 11000, label: "Fibra 500 Mega" },
  { id_cliente_servico: 11001, label: "Fibra 300 Mega" },
];
el.tokenProvider = () => Promise.resolve("demo-token");
window.__definedBefore = customElements.get("abrir-chamado") !== undefined;
