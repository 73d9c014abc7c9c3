// TypeScript declarations of abrir-chamado (shipped as dist/abrir-chamado.d.ts beside the entry
// abrir-chamado.js). The widget's options, the handle of mount(), the <abrir-chamado> element
// with its properties, attributes and events. React and Vue typings:
// abrir-chamado.react.d.ts and abrir-chamado.vue.d.ts, beside this file.
// Checked by `tsc -p types` (types/usage.tsx) in the test command.

/** A contract the customer may pick (the host's `services`). */
export interface AbrirChamadoService {
  /** Hubsoft's `id_cliente_servico`: a positive integer. */
  id_cliente_servico: number | string;
  /** What the customer sees, e.g. "Fibra 500 Mega – Rua das Flores, 123". */
  label: string;
}

/** A ticket type the customer may pick (the host's `tipos`, the ISP's whitelist). */
export interface AbrirChamadoTipo {
  /** Hubsoft's `id_tipo_atendimento`: a positive integer. */
  id_tipo_atendimento: number | string;
  /** What the customer sees, e.g. "Sem acesso à internet". */
  label: string;
}

/** The fields a host may lock (shown as text, still submitted, beating drafts). */
export type AbrirChamadoLockable = "nome" | "telefone" | "email" | "id_cliente_servico";

/**
 * The host's token provider, called at submit; after an HTTP 401 once more with
 * `{ reason: "unauthorized" }`. Resolves to a bearer token (visible ASCII).
 */
export type AbrirChamadoTokenProvider = (arg?: { reason?: "unauthorized" }) => string | Promise<string>;

/** `detail` of `abrir-chamado:ready` and `abrir-chamado:submit`. */
export type AbrirChamadoEmptyDetail = Record<string, never>;

/** `detail` of `abrir-chamado:success`. */
export interface AbrirChamadoSuccessDetail {
  /** The ticket's protocolo, as a string (up to 20 digits). */
  protocolo: string;
  /** Hubsoft's `id_atendimento`, as a string. */
  id_atendimento: string;
  /** Hubsoft's whole `atendimento` object, as received. */
  atendimento: Record<string, unknown>;
}

/** What failed (`abrir-chamado:error`'s `detail.kind`). */
export type AbrirChamadoErrorKind =
  | "rejected"
  | "unprocessable"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "rate_limited"
  | "in_progress"
  | "server_unavailable"
  | "http_status"
  | "invalid_response"
  | "network"
  | "timeout"
  | "offline"
  | "interrupted"
  | "token_unavailable"
  /** The widget's code could not be loaded (sent by the element shim, `status` the wasm's). */
  | "load";

/** `detail` of `abrir-chamado:error`. */
export interface AbrirChamadoErrorDetail {
  kind: AbrirChamadoErrorKind;
  /** The text shown to the customer. */
  message: string;
  /** The HTTP status, or `null` when there was no answer. */
  status: number | null;
}

/** `detail` of `abrir-chamado:invalid`: the Hubsoft key names of the invalid fields. */
export interface AbrirChamadoInvalidDetail {
  fields: string[];
}

/** The options of `mount(element, options)` and `handle.update(options)`. */
export interface AbrirChamadoOptions {
  /** Base URL of the ISP's Hubsoft or of a gateway with the same contract. Required. */
  endpoint: string;
  /** Bearer token, in memory only. Needed at submit (or `tokenProvider`). */
  token?: string;
  tokenProvider?: AbrirChamadoTokenProvider;
  /** The customer's service id; hides the "Serviço" field. */
  id_cliente_servico?: number | string;
  nome?: string;
  telefone?: string;
  email?: string;
  /** Time limit of one request, 1000–300000 ms. Default 30000. */
  timeout_ms?: number | string;
  /** A key for the logged-in customer (never the token). */
  draft_key?: string;
  locked?: AbrirChamadoLockable[];
  services?: AbrirChamadoService[];
  tipos?: AbrirChamadoTipo[];
  abrir_os?: boolean;
  parametros?: Record<string, unknown>;
  /** `pt-BR` (default), `en` or `es`. */
  locale?: string;
  /** Message key → text, overriding the built-in table. */
  labels?: Record<string, string>;
  mode?: "inline" | "modal";
  idempotency_key?: boolean | "" | "true" | "false";
  /** When the WebAssembly loads: at once (default) or on intent. `mount()` always loads at once. */
  loading?: "eager" | "lazy";
  onReady?: (detail: AbrirChamadoEmptyDetail) => void;
  onSubmit?: (detail: AbrirChamadoEmptyDetail) => void;
  onSuccess?: (detail: AbrirChamadoSuccessDetail) => void;
  onError?: (detail: AbrirChamadoErrorDetail) => void;
  onInvalid?: (detail: AbrirChamadoInvalidDetail) => void;
}

/** What `mount()` returns. */
export declare class WidgetHandle {
  private constructor();
  /** Applies new options; what the customer typed stays. */
  update(options: AbrirChamadoOptions): void;
  /** Clears the form back to the host's values and deletes the draft. */
  reset(): void;
  /** `mode: "modal"`: opens the dialog. */
  open(): void;
  /** `mode: "modal"`: closes the dialog. */
  close(): void;
  /** Writes at once a draft save still waiting for its debounce. */
  saveDraft(): void;
  /** Unmounts the widget (writing a waiting draft save first). */
  destroy(): void;
  /** Frees the handle's WebAssembly memory (after `destroy()`). */
  free(): void;
}

/** Mounts the widget in `element`'s shadow root. Never throws for bad options. */
export declare function mount(element: Element, options: AbrirChamadoOptions): WidgetHandle;

/** The element's properties (rich options; `token` too). */
export interface AbrirChamadoProperties {
  token?: string;
  tokenProvider?: AbrirChamadoTokenProvider;
  services?: AbrirChamadoService[];
  tipos?: AbrirChamadoTipo[];
  locked?: AbrirChamadoLockable[];
  labels?: Record<string, string>;
  abrirOs?: boolean;
  parametros?: Record<string, unknown>;
}

/** The element's attributes, as strings (rich options as JSON text). */
export interface AbrirChamadoAttributes {
  endpoint?: string;
  token?: string;
  locale?: string;
  "id-cliente-servico"?: string | number;
  nome?: string;
  telefone?: string;
  email?: string;
  mode?: "inline" | "modal";
  "draft-key"?: string;
  "timeout-ms"?: string | number;
  "idempotency-key"?: "" | "true" | "false" | boolean;
  /** `eager` (default): the WebAssembly loads at once; `lazy`: near the viewport or on intent. */
  loading?: "eager" | "lazy";
  /** JSON text of `[{ id_cliente_servico, label }]`. */
  services?: string;
  /** JSON text of `[{ id_tipo_atendimento, label }]`. */
  tipos?: string;
  /** JSON text of the locked field keys, e.g. `["nome"]`. */
  locked?: string;
  /** JSON text of an object of message key → text. */
  labels?: string;
  /** JSON text of an object. */
  parametros?: string;
  /** Boolean attribute: present (or "true") → true, "false" → false. */
  "abrir-os"?: "" | "true" | "false" | boolean;
  /** `light` or `dark` forces the widget's colours. */
  theme?: "light" | "dark";
}

/** The events the element dispatches (bubbling and composed), by name. */
export interface AbrirChamadoEventMap {
  "abrir-chamado:ready": CustomEvent<AbrirChamadoEmptyDetail>;
  "abrir-chamado:submit": CustomEvent<AbrirChamadoEmptyDetail>;
  "abrir-chamado:success": CustomEvent<AbrirChamadoSuccessDetail>;
  "abrir-chamado:error": CustomEvent<AbrirChamadoErrorDetail>;
  "abrir-chamado:invalid": CustomEvent<AbrirChamadoInvalidDetail>;
}

/** The `<abrir-chamado>` element. */
export interface AbrirChamadoElement extends HTMLElement, AbrirChamadoProperties {
  /** Whether the widget has said `abrir-chamado:ready` (for a script that listens later). */
  readonly ready: boolean;
  /** Clears the form back to the host's values and deletes the draft. */
  reset(): void;
  /** `mode="modal"`: opens the dialog. */
  open(): void;
  /** `mode="modal"`: closes the dialog. */
  close(): void;
  addEventListener<K extends keyof AbrirChamadoEventMap>(
    type: K,
    listener: (this: AbrirChamadoElement, ev: AbrirChamadoEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: AbrirChamadoElement, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "abrir-chamado": AbrirChamadoElement;
  }
  // The events bubble out of the element (composed), so any element or the document hears them.
  interface HTMLElementEventMap extends AbrirChamadoEventMap {}
  interface DocumentEventMap extends AbrirChamadoEventMap {}
}
