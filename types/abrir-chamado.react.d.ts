// React typings of <abrir-chamado> (shipped as dist/abrir-chamado.react.d.ts). Include it once
// in a React 18 or 19 project (`/// <reference path="./abrir-chamado.react.d.ts" />` or the
// tsconfig "files"); it augments React.JSX, which @types/react 18.3 and 19 both use.
// React 19 passes the rich options as properties and `onabrir-chamado:*` as listeners; React 18
// passes every prop as an attribute, so there use strings (attributes) in JSX and set the rich
// options on the ref (README "React 18").
import type {} from "react";
import type {
  AbrirChamadoAttributes,
  AbrirChamadoElement,
  AbrirChamadoEventMap,
  AbrirChamadoProperties,
} from "./abrir-chamado.js";

type Listeners = {
  [K in keyof AbrirChamadoEventMap as `on${K}`]?: (event: AbrirChamadoEventMap[K]) => void;
};

type JsonOptions = "services" | "tipos" | "locked" | "labels" | "parametros";

/** The props of <abrir-chamado> in JSX. */
export type AbrirChamadoJsxProps = Omit<AbrirChamadoAttributes, keyof AbrirChamadoProperties> &
  Omit<AbrirChamadoProperties, JsonOptions> &
  Listeners & {
    /** Attribute forms of the rich options (JSON text), for React 18 and server rendering. */
    services?: AbrirChamadoProperties["services"] | string;
    tipos?: AbrirChamadoProperties["tipos"] | string;
    locked?: AbrirChamadoProperties["locked"] | string;
    labels?: AbrirChamadoProperties["labels"] | string;
    parametros?: AbrirChamadoProperties["parametros"] | string;
    id?: string;
    class?: string;
    className?: string;
    style?: React.CSSProperties;
    key?: React.Key;
    ref?: React.Ref<AbrirChamadoElement>;
  };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "abrir-chamado": AbrirChamadoJsxProps;
    }
  }
}
