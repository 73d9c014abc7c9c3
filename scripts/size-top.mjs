// Where the wasm's bytes are (issue 12): the release build's wasm with its function names, through
// the same wasm-bindgen and wasm-opt steps as the shipped one, profiled with twiggy
// (`cargo install twiggy`). Prints the 15 largest items and the code grouped by crate.
// Run by hand after the release build (it reuses cargo's output, it does not build):
//
//   source scripts/env.sh && (source scripts/release-env.sh && trunk build --release)
//   node scripts/size-top.mjs [path/to/abrir_chamado.wasm] [--top 15]
//
// The names: rustc's wasm keeps the `name` section (the release profile strips debug info, not
// symbols); wasm-bindgen keeps it too; Trunk's wasm-opt drops it, so here wasm-opt runs with the
// same passes as Trunk (index.html: -Oz, then --flatten --rereloop -Oz -Oz --converge
// --strip-producers --strip-target-features)
// plus -g, which keeps the names. The code is the shipped code give or take a few bytes: the
// script prints both sizes without the name section, to compare. Sizes are raw bytes (twiggy's
// shallow size); gzip shrinks every group by roughly the same factor.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const topIndex = process.argv.indexOf("--top");
const TOP = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 15;
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--top");
const candidates = [
  join(root, "target/size/wasm32-unknown-unknown/release/abrir_chamado.wasm"),
  join(root, "target/wasm32-unknown-unknown/release/abrir_chamado.wasm"),
];
const input = positional[0] ?? candidates.find(existsSync);
if (!input || !existsSync(input)) {
  console.error("size-top: no release wasm from cargo; run the release build first:");
  console.error("  source scripts/env.sh && (source scripts/release-env.sh && trunk build --release)");
  process.exit(1);
}
const bin = (name) => {
  const local = join(root, "node_modules/.bin", name);
  return existsSync(local) ? local : name;
};
const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 256 << 20 });
try {
  run("twiggy", ["--version"]);
} catch {
  console.error("size-top: twiggy is not on PATH; install it with `cargo install twiggy`");
  process.exit(1);
}
const out = join(root, "target/size-top");
mkdirSync(out, { recursive: true });

run("wasm-bindgen", ["--target", "web", "--out-dir", out, "--out-name", "named", input]);
const named = join(out, "named_bg.wasm");
const optimised = join(out, "named-opt.wasm");
run(bin("wasm-opt"), [
  "-Oz", "--flatten", "--rereloop", "-Oz", "-Oz", "--converge",
  "--strip-producers", "--strip-target-features", "-g",
  named, "-o", optimised,
]);
const stripped = join(out, "stripped.wasm");
// Only strips (no pass runs): every feature allowed, as the target_features section is gone.
run(bin("wasm-opt"), ["--all-features", "--strip-debug", optimised, "-o", stripped]);

// twiggy's items: one per function, data segment and section, with its shallow size.
const items = JSON.parse(run("twiggy", ["top", "--format", "json", optimised])).map((i) => ({
  name: i.name,
  size: i.shallow_size,
}));

/** The crate an item's code belongs to: the first path segment of its (demangled) name. */
function crateOf(name) {
  if (/^data\[|^data segment/.test(name)) return "(data: strings, tables)";
  if (/names" subsection$|^"?(name|producers|target_features|\.debug)/.test(name) || /custom section/.test(name)) return "(name section)";
  if (/^(code|import|export|type|table|elem|global|memory|wasm magic|func)\[?/.test(name) && !name.includes("::"))
    return "(wasm structure: imports, exports, types, tables)";
  if (/^(export|import) "/.test(name)) return "(import/export names: post-build shortens them)";
  if (/^__wbg|^__wbindgen|^__externref|^closure\d|^widgethandle_|externref shim|wasm_bindgen/.test(name))
    return "wasm_bindgen (+ glue shims)";
  // v0 demangling: `yew[d2a9806118773db6]::html::...`; the crate hash is dropped.
  const s = name.replace(/\[[0-9a-f]{1,16}\]/g, "").replace(/^(<|&|mut |dyn |\*const |\*mut |\[|\()+/, "");
  const crate = /^([A-Za-z_][A-Za-z0-9_]*)::/.exec(s)?.[1];
  if (!crate) return "(unnamed)";
  if (["core", "alloc", "std", "compiler_builtins", "dlmalloc", "hashbrown"].includes(crate)) return `std (${crate})`;
  return crate;
}

const namesSection = items.filter((i) => crateOf(i.name) === "(name section)").reduce((s, i) => s + i.size, 0);
const code = items.filter((i) => crateOf(i.name) !== "(name section)");
const total = code.reduce((s, i) => s + i.size, 0);
const shipped = readdirSync(join(root, "dist")).find((n) => /_bg\.wasm$/.test(n));
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`input: ${input.slice(root.length + 1)}`);
console.log(`profiled wasm without its name section: ${kb(statSync(stripped).size)} raw, ${kb(gzipSync(readFileSync(stripped), { level: 9 }).length)} gzip`);
if (shipped) {
  const bytes = readFileSync(join(root, "dist", shipped));
  console.log(`shipped dist/${shipped}: ${kb(bytes.length)} raw, ${kb(gzipSync(bytes, { level: 9 }).length)} gzip`);
}
console.log(`(twiggy counts ${kb(total)} of items besides the ${kb(namesSection)} name section)\n`);

console.log(`top ${TOP} items (shallow size):`);
console.log("| # | bytes | % | crate | item |\n|---:|---:|---:|---|---|");
code
  .sort((a, b) => b.size - a.size)
  .slice(0, TOP)
  .forEach((i, n) => {
    const short = i.name.replace(/\[[0-9a-f]{1,16}\]/g, "");
    const name = short.length > 160 ? `${short.slice(0, 157)}...` : short;
    console.log(`| ${n + 1} | ${i.size} | ${((100 * i.size) / total).toFixed(1)} | ${crateOf(i.name)} | \`${name.replace(/\|/g, "\\|")}\` |`);
  });

const groups = new Map();
for (const i of code) {
  const g = groups.get(crateOf(i.name)) ?? { size: 0, count: 0, ours: 0 };
  g.size += i.size;
  g.count += 1;
  if (/abrir_chamado/.test(i.name)) g.ours += i.size;
  groups.set(crateOf(i.name), g);
}
console.log("\nby crate (first path segment of the demangled name; generic code counts where it is defined):");
console.log("| crate | bytes | % | items | of which instantiated for or inlined from abrir_chamado* types |\n|---|---:|---:|---:|---:|");
for (const [crate, g] of [...groups].sort((a, b) => b[1].size - a[1].size)) {
  console.log(`| ${crate} | ${g.size} | ${((100 * g.size) / total).toFixed(1)} | ${g.count} | ${g.ours} |`);
}
