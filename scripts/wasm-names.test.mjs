// node --test: scripts/wasm-names.mjs on a small hand-assembled module and its "glue".
import { test } from "node:test";
import assert from "node:assert/strict";
import { shortenNames } from "./wasm-names.mjs";

const enc = new TextEncoder();
const name = (s) => [enc.encode(s).length, ...enc.encode(s)];
const section = (id, bytes) => [id, bytes.length, ...bytes];

// (module
//   (type (func (param i32) (result i32)))
//   (import "./x_bg.js" "__wbg_double_0123456789abcdef" (func $double (type 0)))
//   (import "./snippets/s.js" "keep" (func (type 0)))
//   (func (export "call_it") (param i32) (result i32) (call $double (local.get 0))))
const IMPORT = "__wbg_double_0123456789abcdef";
const module = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]),
  ...section(2, [2, ...name("./x_bg.js"), ...name(IMPORT), 0, 0, ...name("./snippets/s.js"), ...name("keep"), 0, 0]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name("call_it"), 0, 2]),
  ...section(10, [1, 6, 0, 0x20, 0, 0x10, 0, 0x0b]),
]);

const glue = `
let wasm;
const imports = {
  "./x_bg.js": { ${IMPORT}: function(x) { return 2 * x; } },
  "./snippets/s.js": { keep: function(x) { return x; } },
};
function call_it(x) { return wasm.call_it(x); }
return { imports, init: (w) => { wasm = w; }, call_it };
`;

async function run(bytes, text) {
  const g = new Function(text)();
  const { instance } = await WebAssembly.instantiate(bytes, g.imports);
  g.init(instance.exports);
  return g.call_it(21);
}

test("the original module and glue work together", async () => {
  assert.equal(await run(module, glue), 42);
});

test("renamed imports and exports still link, and the wasm is smaller", async () => {
  const out = shortenNames(module, glue, "./x_bg.js");
  assert.equal(out.imports, 1);
  assert.equal(out.exports, 1);
  assert.ok(out.wasm.length < module.length);
  const m = new WebAssembly.Module(out.wasm);
  assert.deepEqual(
    WebAssembly.Module.imports(m).map((i) => `${i.module} ${i.name}`),
    ["$ $0", "./snippets/s.js keep"],
  );
  assert.deepEqual(WebAssembly.Module.exports(m).map((e) => e.name), ["$0"]);
  assert.ok(!out.glue.includes(IMPORT) && !out.glue.includes("wasm.call_it"));
  assert.equal(await run(out.wasm, out.glue), 42);
});

test("an import the glue uses in another way stops the build", () => {
  const twice = glue.replace("return { imports", `const again = "${IMPORT}";\nreturn { imports`);
  assert.throws(() => shortenNames(module, twice, "./x_bg.js"), /not used once/);
  assert.throws(() => shortenNames(module, glue, "./y_bg.js"), /does not name/);
});

test("an export reached in another way keeps its name", async () => {
  const other = glue.replace("function call_it(x) { return wasm.call_it(x); }",
    'function call_it(x) { return wasm["call_it"](x); }');
  const out = shortenNames(module, other, "./x_bg.js");
  assert.equal(out.exports, 0);
  assert.equal(await run(out.wasm, out.glue), 42);
});
