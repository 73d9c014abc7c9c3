// Builds the framework test apps (React 18, React 19, Vue 3) with esbuild from the npm packages
// into `<out>/` with their pages, next to the widget's release build, for the end-to-end tests
// (tests/e2e/frameworks.spec.mjs). Run by the Playwright web server command:
//   node tests/e2e/frameworks/build.mjs <out> <origin>
// React 18 and 19 are installed side by side as npm aliases (react18, react-dom19, …); each app
// is bundled with "react"/"react-dom" aliased to its own copy. Development builds, so React's
// StrictMode double-invokes effects as it does while a portal is developed.
import { build } from "esbuild";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [out, origin] = process.argv.slice(2);
if (!out || !origin) {
  console.error("usage: node tests/e2e/frameworks/build.mjs <out dir> <origin>");
  process.exit(1);
}
const here = new URL(".", import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const react = (major) => ({
  react: `react${major}`,
  "react-dom": `react-dom${major}`,
});
const apps = [
  { entry: "react18.jsx", alias: react(18) },
  { entry: "react19.jsx", alias: react(19) },
  // The full build (with the template compiler), as a page without a bundler-side compiler needs.
  { entry: "vue.js", alias: { vue: "vue/dist/vue.esm-bundler.js" } },
  { entry: "late-token.js", alias: {} },
  { entry: "upgrade-early.js", alias: {} },
];
await Promise.all(
  apps.map(({ entry, alias }) =>
    build({
      entryPoints: [join(here, entry)],
      outfile: join(out, entry.replace(/\.jsx$/, ".js")),
      bundle: true,
      format: "esm",
      jsx: "automatic",
      alias,
      define: {
        "process.env.NODE_ENV": '"development"',
        __VUE_OPTIONS_API__: "true",
        __VUE_PROD_DEVTOOLS__: "false",
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false",
      },
      logLevel: "warning",
    }),
  ),
);
for (const page of readdirSync(here).filter((f) => f.endsWith(".html"))) {
  writeFileSync(join(out, page), readFileSync(join(here, page), "utf8").replaceAll("__ORIGIN__", origin));
}
console.log(`framework apps built into ${out}`);
