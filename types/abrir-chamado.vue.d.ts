// Vue 3 typings of <abrir-chamado> (shipped as dist/abrir-chamado.vue.d.ts): the element in
// Vue's GlobalComponents, so templates type-check its props and events (vue-tsc / Volar).
// Tell the compiler it is a custom element too: compilerOptions.isCustomElement (README "Vue 3").
import type { DefineComponent } from "vue";
import type { AbrirChamadoAttributes, AbrirChamadoEventMap, AbrirChamadoProperties } from "./abrir-chamado.js";

type Listeners = {
  [K in keyof AbrirChamadoEventMap as `on${Capitalize<K>}`]?: (event: AbrirChamadoEventMap[K]) => void;
};

/** The props of <abrir-chamado> in a Vue template (attributes, properties and listeners). */
export type AbrirChamadoVueProps = Omit<AbrirChamadoAttributes, keyof AbrirChamadoProperties> &
  AbrirChamadoProperties &
  Listeners;

declare module "vue" {
  interface GlobalComponents {
    "abrir-chamado": DefineComponent<AbrirChamadoVueProps>;
  }
}
