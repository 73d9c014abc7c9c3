// Trunk post_build hook (see Trunk.toml): in release builds, minifies the wasm-bindgen JS glue
// with esbuild and rewrites its Subresource Integrity digest in index.html so SRI keeps working.
// Debug builds are left untouched.
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { transformSync } from "esbuild";

if (process.env.TRUNK_PROFILE !== "release") process.exit(0);
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("minify-loader: TRUNK_STAGING_DIR is not set (run me from Trunk)");
  process.exit(1);
}

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");
const indexPath = join(dir, "index.html");
let index = readFileSync(indexPath, "utf8");

for (const name of readdirSync(dir)) {
  if (!/^abrir-chamado.*\.js$/.test(name)) continue;
  const path = join(dir, name);
  const before = readFileSync(path);
  const { code } = transformSync(before.toString("utf8"), {
    minify: true,
    format: "esm",
    target: "es2020",
    legalComments: "none",
  });
  writeFileSync(path, code);
  const oldDigest = sri(before);
  if (index.includes(oldDigest)) index = index.split(oldDigest).join(sri(Buffer.from(code)));
  console.log(`minify-loader: ${name} ${before.length} -> ${code.length} bytes`);
}
writeFileSync(indexPath, index);
