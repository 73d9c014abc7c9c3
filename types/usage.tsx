// A typed use of the shipped declarations, checked by `tsc -p types` (no output): the mount()
// API, the element and its events, React JSX and the Vue global component.
/// <reference path="./abrir-chamado.react.d.ts" />
/// <reference path="./abrir-chamado.vue.d.ts" />
import { mount, type AbrirChamadoSuccessDetail } from "./abrir-chamado.js";
import type { GlobalComponents } from "vue";

const handle = mount(document.createElement("div"), {
  endpoint: "https://api.provedor.hubsoft.com.br",
  // As the README writes it: the first call has no argument.
  tokenProvider: async ({ reason } = {}) => `token-${reason ?? "first"}`,
  services: [{ id_cliente_servico: 11000, label: "Fibra" }],
  locked: ["nome"],
  onSuccess: (detail: AbrirChamadoSuccessDetail) => console.log(detail.protocolo.padStart(20)),
});
handle.update({ endpoint: "https://api.provedor.hubsoft.com.br", telefone: "37999112233" });
handle.destroy();
// @ts-expect-error: endpoint is required
mount(document.body, { token: "t" });
// @ts-expect-error: not a lockable field
mount(document.body, { endpoint: "x", locked: ["descricao"] });

const el = document.createElement("abrir-chamado");
el.services = [{ id_cliente_servico: 11001, label: "Fibra 300" }];
el.tokenProvider = () => "token";
el.addEventListener("abrir-chamado:success", (e) => console.log(e.detail.protocolo, e.detail.id_atendimento));
el.addEventListener("abrir-chamado:error", (e) => {
  const kind: "timeout" | string = e.detail.kind;
  const status: number | null = e.detail.status;
  console.log(kind, status);
});
document.addEventListener("abrir-chamado:invalid", (e) => console.log(e.detail.fields.join()));
// @ts-expect-error: services are objects, not ids
el.services = [11000];

// React 19: properties and listeners in JSX.
export const React19 = () => (
  <abrir-chamado
    endpoint="https://api.provedor.hubsoft.com.br"
    draft-key="cliente-1204"
    services={[{ id_cliente_servico: 11000, label: "Fibra" }]}
    tokenProvider={() => Promise.resolve("t")}
    onabrir-chamado:success={(e) => console.log(e.detail.protocolo)}
  />
);
// React 18: attributes (JSON text) and a ref.
export const React18 = () => (
  <abrir-chamado
    ref={(node) => {
      if (node) node.tokenProvider = () => "t";
    }}
    endpoint="https://api.provedor.hubsoft.com.br"
    services='[{"id_cliente_servico":11000,"label":"Fibra"}]'
    abrir-os=""
  />
);
// @ts-expect-error: an unknown mode
export const Wrong = () => <abrir-chamado endpoint="x" mode="popup" />;

// Vue: the element is a global component with typed props.
type VueProps = InstanceType<GlobalComponents["abrir-chamado"]>["$props"];
export const vueProps: VueProps = {
  endpoint: "https://api.provedor.hubsoft.com.br",
  services: [{ id_cliente_servico: 11000, label: "Fibra" }],
  "onAbrir-chamado:success": (e) => console.log(e.detail.protocolo),
};
