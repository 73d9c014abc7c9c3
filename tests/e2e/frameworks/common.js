// What every framework test app shares: the portal's data, its token provider, and a "profile"
// request the test answers when it wants (a host option that arrives while the customer types).

/** The customer's contracts, as a portal lists them (a new array on every call, as a render makes). */
export const services = () => [
  { id_cliente_servico: 11000, label: "Fibra 500 Mega – Rua das Flores, 123" },
  { id_cliente_servico: 11001, label: "Fibra 300 Mega – Av. Brasil, 900" },
];

export const tipos = [
  { id_tipo_atendimento: 109, label: "Sem acesso à internet" },
  { id_tipo_atendimento: 110, label: "Internet lenta" },
];

/** The portal's backend would mint a short-lived token here. */
export const tokenProvider = () => Promise.resolve("demo-token");

/** The profile request: resolves when the test calls `window.answerProfile()`. */
export function loadProfile() {
  return new Promise((resolve) => {
    window.answerProfile = () => resolve({ telefone: "37999112233" });
  });
}

/** What the app learnt from the widget's events, for the test to read. */
export function recordSuccess(detail) {
  window.__protocolos = [...(window.__protocolos ?? []), detail.protocolo];
}
