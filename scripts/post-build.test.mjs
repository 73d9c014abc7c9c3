// node --test: the stable entry written by the post_build hook.
import { test } from "node:test";
import assert from "node:assert/strict";
import { entry, stylesheet, STYLESHEET } from "./post-build.mjs";

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

test("the entry defines the element from the shim before it loads the wasm", () => {
  const text = entry("abrir-chamado-abc.js", "abrir-chamado-abc_bg.wasm", undefined, "snippets/x/src/embed/element.js");
  const define = text.indexOf("defineElement();");
  assert.match(text, /import \{ defineElement \} from "\.\/snippets\/x\/src\/embed\/element\.js"/);
  assert.ok(define > 0 && define < text.indexOf("await import("), "defined before the module and wasm load");
  assert.doesNotMatch(text, /^import .*abrir-chamado-abc\.js/m, "the hashed module is not a static import");
});
