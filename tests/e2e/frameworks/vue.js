// Vue 3 recipe (README "Vue 3"): `isCustomElement` tells Vue's compiler the tag is not a Vue
// component; Vue sets a property when the element has it (`key in element`, true from the first
// render since abrir-chamado.js defines the element at once), and `.prop` forces one.
import { createApp, onMounted, onUnmounted, ref } from "vue";
import { services, tipos, tokenProvider, loadProfile, recordSuccess } from "./common.js";

const app = createApp({
  setup() {
    const tab = ref("chamado");
    const telefone = ref("");
    const inputs = ref(0);
    const on = () => inputs.value++;
    onMounted(() => {
      loadProfile().then((p) => (telefone.value = p.telefone));
      document.addEventListener("input", on);
    });
    onUnmounted(() => document.removeEventListener("input", on));
    return { tab, telefone, inputs, services, tipos, tokenProvider, recordSuccess, origin: location.origin };
  },
  template: `
    <nav>
      <button @click="tab = 'chamado'">Chamado</button>
      <button @click="tab = 'faturas'">Faturas</button>
    </nav>
    <output data-testid="renders">{{ inputs }}</output>
    <abrir-chamado v-if="tab === 'chamado'"
      :endpoint="origin" draft-key="vue" nome="Maria da Silva Souza" :telefone="telefone"
      :services="services()" :tipos="tipos" :tokenProvider.prop="tokenProvider"
      @abrir-chamado:success="recordSuccess($event.detail)"></abrir-chamado>
    <p v-else>Suas faturas</p>`,
});
app.config.compilerOptions.isCustomElement = (tag) => tag === "abrir-chamado";
app.mount("#app");
