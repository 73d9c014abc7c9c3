// Demo host page: mounts the widget as a customer portal would.
// In production the token comes from the portal's backend (a short-lived, customer-scoped token
// for a gateway); "demo-token" is the mock-hubsoft server's fixed demo token.
function start() {
  const element = document.getElementById("abrir-chamado");
  if (!element || element.dataset.mounted) return;
  element.dataset.mounted = "1";
  window.abrirChamadoDemo = window.wasmBindings.mount(element, {
    endpoint: window.location.origin,
    token: "demo-token",
    id_cliente_servico: 11000,
    nome: "Maria da Silva Souza",
    telefone: "37999112233",
    email: "maria@example.com",
  });
}
if (window.wasmBindings) start();
else window.addEventListener("TrunkApplicationStarted", start);
