// node --test: the stable entry written by the post_build hook.
import { test } from "node:test";
import assert from "node:assert/strict";
import { entry, forwarder, FULL_SHIM, preloadSnippet, stylesheet, STYLESHEET, dsdSnippet, dsdInlineSnippet, dsdFile, styleHash, catalogFile, catalogPath } from "./post-build.mjs";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

test("by default the hashed files are loaded next to the entry", () => {
  const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm");
  assert.match(text, /import\("\.\/abrir-chamado-abc\.js" \+ /);
  assert.match(text, /new URL\("abrir-chamado-abc_bg\.wasm", import\.meta\.url\)/);
});

test("ABRIR_CHAMADO_PUBLIC_URL makes them load from a fixed public URL", () => {
  for (const base of ["https://cdn.isp.com.br/abrir-chamado", "https://cdn.isp.com.br/abrir-chamado/"]) {
    const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm", base);
    assert.match(text, /import\("https:\/\/cdn\.isp\.com\.br\/abrir-chamado\/abrir-chamado-abc\.js" \+ /);
    assert.match(text, /new URL\("abrir-chamado-abc_bg\.wasm", "https:\/\/cdn\.isp\.com\.br\/abrir-chamado\/"\)/);
    assert.doesNotMatch(text, /import\.meta\.url\)/);
  }
});

test("the fallback stylesheet is src/style.css, minified, with the inheritance reset", () => {
  const css = stylesheet();
  assert.match(css, /\.ac-root\{/);
  assert.match(css, /\.ac-submit/);
  assert.doesNotMatch(css, /\/\*/);
  assert.equal(STYLESHEET, "abrir-chamado.css");
});

test("the entry carries the shim and its first paint, and loads module, snippet and wasm in parallel only when asked", () => {
  const paints = { "pt-BR inline fixed": "<div class=\"ac-widget\"></div>" };
  const shim = "export function defineElement() {}";
  const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm", undefined, "snippets/x/src/embed/element.js", paints, ".ac-root{}", shim);
  assert.ok(text.includes(shim), "the shim is in the entry: no request before the first paint");
  assert.doesNotMatch(text, /^import /m, "no static import at all");
  // Attempt N > 0 imports the module as `?attempt=N` (a stalled import is abandoned, not reused).
  assert.match(text, /Promise\.all\(\[import\("\.\/abrir-chamado-abc\.js" \+ \(attempt \? "\?attempt=" \+ attempt : ""\)\), import\("\.\/snippets\/x\/src\/embed\/element\.js"\)\]\)/);
  assert.ok(text.indexOf('fetch(new URL("abrir-chamado-abc_bg.wasm"') < text.indexOf("Promise.all"), "the wasm fetch starts with them");
  assert.doesNotMatch(text, /^await /m, "no top-level await: lazy elements do not load the wasm");
  assert.ok(text.includes(JSON.stringify(paints)) && text.includes('css: ".ac-root{}"'));
  assert.match(text, /cssUrl: new URL\("abrir-chamado\.css", import\.meta\.url\)\.href/);
});

test("the entry says where the English and Spanish catalogs are, versioned by their content", () => {
  const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm", "https://cdn.isp.com.br/w/", undefined, {}, "", "", { en: "abrir-chamado.en.txt?v=0123", es: "abrir-chamado.es.txt?v=4567" });
  assert.match(text, /catalogs: \{"en": new URL\("abrir-chamado\.en\.txt\?v=0123", "https:\/\/cdn\.isp\.com\.br\/w\/"\)\.href, "es": new URL\("abrir-chamado\.es\.txt\?v=4567", /);
  assert.equal(catalogFile("en"), "abrir-chamado.en.txt");
  assert.match(catalogPath("en", "texts"), /^abrir-chamado\.en\.txt\?v=[0-9a-f]{16}$/);
});

test("a Declarative Shadow DOM snippet holds the markup and links the stylesheet", () => {
  const snippet = dsdSnippet("<form></form>", "https://cdn.isp.com.br/abrir-chamado/abrir-chamado.css");
  assert.match(snippet, /^<template shadowrootmode="open"><link rel="stylesheet" href="https:\/\/cdn\.isp\.com\.br\/abrir-chamado\/abrir-chamado\.css"><div class="ac-root" data-first-paint><form><\/form><\/div><\/template>/);
  assert.equal(dsdFile("pt-BR inline fixed"), "dsd/pt-BR-inline-fixed.html");
});

test("the inline-style snippet carries the stylesheet, and its CSP hash is the style's sha256", () => {
  const snippet = dsdInlineSnippet("<form></form>", ".ac-root{color:red}");
  assert.match(snippet, /^<template shadowrootmode="open"><style>\.ac-root\{color:red\}<\/style><div class="ac-root" data-first-paint><form><\/form><\/div><\/template>/);
  assert.equal(styleHash(".ac-root{color:red}"), `'sha256-${createHash("sha256").update(".ac-root{color:red}").digest("base64")}'`);
  assert.equal(dsdFile("en modal fixed", true), "dsd/en-modal-fixed.inline-style.html");
});

test("the glue's snippet forwards every export of the shim to the page's copy, or to the full shim without the entry", async () => {
  const shim = "export function defineElement() {}\nexport class WidgetHandle {}\nexport function mount() {}\nexport function stylesheetUrl() {}\nfunction internal() {}\n";
  const text = forwarder(shim);
  assert.match(text, /export const \{ defineElement, WidgetHandle, mount, stylesheetUrl \} = shim;/);
  assert.ok(text.includes(`await import("./${FULL_SHIM}")`));
  assert.doesNotMatch(text, /internal/);
  // Run it: with the page's copy registered, it forwards to that copy and imports nothing.
  const api = { defineElement() {}, WidgetHandle: class {}, mount() {}, stylesheetUrl() {} };
  globalThis[Symbol.for("abrir-chamado.element")] = { api };
  try {
    const module = await import(`data:text/javascript,${encodeURIComponent(text)}`);
    assert.equal(module.defineElement, api.defineElement);
    assert.equal(module.mount, api.mount);
  } finally {
    delete globalThis[Symbol.for("abrir-chamado.element")];
  }
});

test("the real shim registers what the forwarder re-exports", () => {
  const source = readFileSync(new URL("../src/embed/element.js", import.meta.url), "utf8");
  const exported = /export const \{ ([^}]+) \}/.exec(forwarder(source))[1].split(", ");
  const registered = /shared\.api \?\?= \{ ([^}]+) \}/.exec(source)[1].split(", ");
  assert.deepEqual([...exported].sort(), [...registered].sort());
});

test("the preload hints name this build's files under the public base, the wasm as a CORS fetch", () => {
  const text = preloadSnippet("https://cdn.isp.com.br/ac/", "abrir-chamado-abc.js", "snippets/x/src/embed/element.js", "abrir-chamado-abc_bg.wasm");
  assert.equal(
    text,
    `<link rel="modulepreload" href="https://cdn.isp.com.br/ac/abrir-chamado.js">
<link rel="modulepreload" href="https://cdn.isp.com.br/ac/abrir-chamado-abc.js">
<link rel="modulepreload" href="https://cdn.isp.com.br/ac/snippets/x/src/embed/element.js">
<link rel="preload" href="https://cdn.isp.com.br/ac/abrir-chamado-abc_bg.wasm" as="fetch" type="application/wasm" crossorigin>
`,
  );
});

test("an English or Spanish page's preload hints add its texts, as the CORS fetch the entry makes", () => {
  const text = preloadSnippet("/", "abrir-chamado-abc.js", "snippets/x/src/embed/element.js", "abrir-chamado-abc_bg.wasm", "abrir-chamado.en.txt?v=0123");
  assert.ok(text.endsWith(`<link rel="preload" href="/abrir-chamado.en.txt?v=0123" as="fetch" crossorigin>\n`), text);
});
