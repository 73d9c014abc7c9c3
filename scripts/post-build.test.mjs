// node --test: the stable entry written by the post_build hook.
import { test } from "node:test";
import assert from "node:assert/strict";
import { entry, stylesheet, STYLESHEET, dsdSnippet, dsdFile } from "./post-build.mjs";

test("by default the hashed files are loaded next to the entry", () => {
  const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm");
  assert.match(text, /import\("\.\/abrir-chamado-abc\.js"\)/);
  assert.match(text, /new URL\("abrir-chamado-abc_bg\.wasm", import\.meta\.url\)/);
});

test("ABRIR_CHAMADO_PUBLIC_URL makes them load from a fixed public URL", () => {
  for (const base of ["https://cdn.isp.com.br/abrir-chamado", "https://cdn.isp.com.br/abrir-chamado/"]) {
    const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm", base);
    assert.match(text, /import\("https:\/\/cdn\.isp\.com\.br\/abrir-chamado\/abrir-chamado-abc\.js"\)/);
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

test("the entry defines the element from the shim with its first paint, and loads the wasm only when asked", () => {
  const paints = { "pt-BR inline fixed": "<div class=\"ac-widget\"></div>" };
  const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm", undefined, "snippets/x/src/embed/element.js", paints, ".ac-root{}");
  assert.match(text, /import \{ defineElement, mount, WidgetHandle \} from "\.\/snippets\/x\/src\/embed\/element\.js"/);
  assert.match(text, /load: \(\) => import\("\.\/abrir-chamado-abc\.js"\)/, "the wasm loads inside load()");
  assert.doesNotMatch(text, /^await /m, "no top-level await: lazy elements do not load the wasm");
  assert.doesNotMatch(text, /^import .*abrir-chamado-abc\.js/m, "the hashed module is not a static import");
  assert.ok(text.includes(JSON.stringify(paints)) && text.includes('css: ".ac-root{}"'));
});

test("a Declarative Shadow DOM snippet holds the markup and links the stylesheet", () => {
  const snippet = dsdSnippet("<form></form>", "https://cdn.isp.com.br/abrir-chamado/abrir-chamado.css");
  assert.match(snippet, /^<template shadowrootmode="open"><link rel="stylesheet" href="https:\/\/cdn\.isp\.com\.br\/abrir-chamado\/abrir-chamado\.css"><div class="ac-root" data-first-paint><form><\/form><\/div><\/template>/);
  assert.equal(dsdFile("pt-BR inline fixed"), "dsd/pt-BR-inline-fixed.html");
});
