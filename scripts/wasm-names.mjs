// Shortens the names that wasm-bindgen gives the imports and exports between the wasm and its JS
// glue, in both files at once. wasm-bindgen names each import after its Rust path plus a 16-digit
// hash (`__wbg_addEventListener_f2d27251d333a631`) and closure shims after their whole type
// (`wasm_bindgen_8999…___convert__closures_____invoke___web_sys…`); those strings sit in the
// wasm's import/export sections and again in the glue, and their hashes do not compress. Renamed
// to `$0`, `$1`, … they stop costing about 4 KB gzip. Behaviour is unchanged: only the names
// that link the two files change, consistently.
//
// Wasm binary format (WebAssembly Core Specification 2.0, §5.5): a module is the magic and
// version (8 bytes) followed by sections `id:u8 size:u32(LEB128) contents`; the import section
// (id 2) is a vector of `module:name field:name desc`, the export section (id 7) a vector of
// `field:name desc`, where a name is `len:u32(LEB128) utf8-bytes`.
//
// The glue is only rewritten where it is unambiguous, else this throws and the build fails:
// - an import of the glue module must appear exactly once in the glue, as an object key
//   (`NAME: function(…)`);
// - an export is renamed only when the glue reaches it as `wasm.NAME` and by no other property
//   access or string (closure shims also have a local JS wrapper function of the same name,
//   which esbuild renames anyway).
// The glue module's name itself (`./abrir-chamado_bg.js`) must appear exactly once, as the
// quoted key of the imports object. Imports of other modules (wasm-bindgen snippets such as the
// custom element shim) keep their names: those are real ES module exports.

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error("wasm-names: truncated LEB128");
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
    if (shift > 35) throw new Error("wasm-names: LEB128 too long");
  }
}

function u32(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return out;
}

function name(text) {
  const b = enc.encode(text);
  return [...u32(b.length), ...b];
}

function readName(bytes, at) {
  const [len, start] = readU32(bytes, at);
  return [dec.decode(bytes.subarray(start, start + len)), start + len];
}

/** Skips an import description (§5.5.5): func, table, memory, global or tag. */
function skipImportDesc(bytes, at) {
  const kind = bytes[at++];
  const limits = (i) => {
    const flags = bytes[i++];
    [, i] = readU32(bytes, i);
    if (flags & 1) [, i] = readU32(bytes, i);
    return i;
  };
  switch (kind) {
    case 0x00: // func: typeidx
      return readU32(bytes, at)[1];
    case 0x01: // table: reftype limits
      return limits(at + 1);
    case 0x02: // memory: limits
      return limits(at);
    case 0x03: // global: valtype mut
      return at + 2;
    case 0x04: // tag: attribute typeidx
      return readU32(bytes, at + 1)[1];
    default:
      throw new Error(`wasm-names: unknown import kind ${kind}`);
  }
}

/** The short name of the i-th renamed item: `$0`…`$z`, `$10`… (never a wasm-bindgen name). */
const short = (i) => `$${i.toString(36)}`;

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const count = (text, re) => (text.match(re) ?? []).length;

/**
 * Renames in `wasm` (a Uint8Array) and `glue` (the wasm-bindgen JS text, before minification)
 * every import of `glueModule`, the exports the glue uses only as `wasm.NAME`, and `glueModule`
 * itself (to `"$"`). Returns `{ wasm, glue, imports, exports }` (the latter two: how many names
 * changed). Throws when the glue does not use the module or an import exactly as expected.
 */
export function shortenNames(wasm, glue, glueModule) {
  if (wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) {
    throw new Error("wasm-names: not a wasm module");
  }
  const moduleKey = new RegExp(`(["'])${escape(glueModule)}\\1(?=\\s*:)`, "g");
  if (count(glue, moduleKey) !== 1 || glue.split(glueModule).length !== 2) {
    throw new Error(`wasm-names: the glue does not name "${glueModule}" once, as a key`);
  }
  glue = glue.replace(moduleKey, () => '"$"');
  const out = [wasm.subarray(0, 8)];
  let imports = 0;
  let exports = 0;
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readU32(wasm, at + 1);
    const end = start + size;
    if (id !== 2 && id !== 7) {
      out.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [n, i] = readU32(wasm, start);
    const body = [...u32(n)];
    for (let k = 0; k < n; k++) {
      let module;
      if (id === 2) [module, i] = readName(wasm, i);
      let field;
      [field, i] = readName(wasm, i);
      const descStart = i;
      i = id === 2 ? skipImportDesc(wasm, i) : readU32(wasm, i + 1)[1];
      let renamed = field;
      if (id === 2 && module === glueModule) {
        const key = new RegExp(`(?<![\\w$])${escape(field)}(?=\\s*:)`, "g");
        if (count(glue, key) !== 1 || glue.split(field).length !== 2) {
          throw new Error(`wasm-names: import ${field} is not used once, as a key, in the glue`);
        }
        const to = short(imports++);
        glue = glue.replace(key, () => to);
        renamed = to;
      } else if (id === 7) {
        const e = escape(field);
        const use = new RegExp(`(?<![\\w$])wasm\\.${e}(?![\\w$])`, "g");
        const uses = count(glue, use);
        // Any other property access or string naming it could be the export: keep the name
        // then (only a missed saving). A bare identifier is the glue's own local wrapper
        // function of the same name (closure shims), which is not the export.
        const dotted = count(glue, new RegExp(`\\.${e}(?![\\w$])`, "g"));
        const quoted = count(glue, new RegExp(`["'\`]${e}["'\`]`, "g"));
        if (uses > 0 && dotted === uses && quoted === 0) {
          const to = short(exports++);
          glue = glue.replace(use, () => `wasm.${to}`);
          renamed = to;
        }
      }
      if (id === 2) body.push(...name(module === glueModule ? "$" : module));
      body.push(...name(renamed), ...wasm.subarray(descStart, i));
    }
    if (i !== end) throw new Error(`wasm-names: section ${id} has trailing bytes`);
    out.push(Uint8Array.of(id, ...u32(body.length)), Uint8Array.from(body));
    at = end;
  }
  const total = out.reduce((s, b) => s + b.length, 0);
  const result = new Uint8Array(total);
  let o = 0;
  for (const b of out) {
    result.set(b, o);
    o += b.length;
  }
  return { wasm: result, glue, imports, exports };
}
