// The front-end build: esbuild bundles and minifies each page's ES modules and CSS (Leaflet and
// its plugins from npm) into static_build/static/build/, split so that a page loads only what it
// needs, and writes static_build/entries.json: what each page loads, read by Django for the
// page's <script>/<link> tags and the service worker's precache list (one source of truth).
//
//   node scripts/build.mjs        (run by `make install` when sources or the lockfile change)
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static_build");
const staticDir = join(out, "static"); // in STATICFILES_DIRS
const buildDir = join(staticDir, "build");

// Page entries: name -> source. Pages only load what their entry imports.
const ENTRIES = {
  map: "geo_civic/pages/static/geo_civic/map.js",
  minimap: "geo_civic/pages/static/pages/minimap.js",
  point_picker: "geo_civic/contributions/static/contributions/point_picker.js",
  area_picker: "geo_civic/pages/static/democracy/area_picker.js",
  pages: "geo_civic/pages/static/pages/site.css",
  api_docs: "geo_civic/pages/static/pages/api_docs.js",
  results_map: "geo_civic/pages/static/participation/results-map.js",
  push: "geo_civic/notifications/static/notifications/push.js",
};

// Served as they are (the admin's map widget): copied from node_modules, not bundled, without
// their source map (4 MB that every collectstatic would hash and compress for nobody).
const VENDOR_COPIES = {
  "node_modules/ol/ol.css": "vendor/ol/ol.css",
  "node_modules/ol/dist/ol.js": "vendor/ol/dist/ol.js",
};

await rm(out, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ENTRIES,
  outdir: buildDir,
  entryNames: "[name]",
  // esbuild's content hash in the name: these files are immutable as they are (see
  // WHITENOISE_IMMUTABLE_FILE_TEST in geo_civic/settings.py); entries get Django's manifest hash when collected.
  chunkNames: "chunks/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: ["es2022"],
  loader: { ".png": "file", ".svg": "file" },
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

// What each entry loads: its file, the chunks it imports at once (to preload), the chunks it
// may import later, and its CSS; paths relative to the static root ("build/…").
const outputs = result.metafile.outputs;
const name = (path) => relative(staticDir, join(root, path)).split("\\").join("/");
function staticImports(path, seen = new Set()) {
  for (const imported of outputs[path].imports) {
    if (imported.kind === "import-statement" && !seen.has(imported.path)) {
      seen.add(imported.path);
      staticImports(imported.path, seen);
    }
  }
  return seen;
}
function allImports(path, seen = new Set()) {
  for (const imported of outputs[path].imports) {
    if (!imported.external && !seen.has(imported.path) && outputs[imported.path]) {
      seen.add(imported.path);
      allImports(imported.path, seen);
    }
  }
  return seen;
}
const entries = {};
for (const [path, output] of Object.entries(outputs)) {
  if (!output.entryPoint || path.endsWith(".map")) continue;
  const entry = Object.keys(ENTRIES).find((key) => ENTRIES[key] === output.entryPoint);
  if (!entry) continue;
  const isCss = path.endsWith(".css");
  const preload = isCss ? [] : [...staticImports(path)].filter((p) => p.endsWith(".js"));
  const lazy = isCss ? [] : [...allImports(path)].filter((p) => !preload.includes(p));
  const css = isCss ? path : output.cssBundle;
  entries[entry] = {
    js: isCss ? null : name(path),
    css: css ? name(css) : null,
    preload: preload.map(name),
    lazy: lazy.filter((p) => p.endsWith(".js")).map(name),
  };
}

for (const [source, target] of Object.entries(VENDOR_COPIES)) {
  await mkdir(dirname(join(staticDir, target)), { recursive: true });
  const text = await readFile(join(root, source), "utf8");
  await writeFile(join(staticDir, target), text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n"));
}

// The service worker is served from the site root by Django (with its precache list).
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["geo_civic/pages/static/geo_civic/sw.js"],
  outfile: join(out, "sw.js"),
  bundle: true, // its modules (sw/*.js) in one classic script
  minify: true,
  target: ["es2022"],
  logLevel: "warning",
});

await writeFile(join(out, "entries.json"), `${JSON.stringify(entries, null, 2)}\n`);
const sizes = Object.entries(outputs)
  .filter(([path]) => !path.endsWith(".map"))
  .map(([path, output]) => `${name(path)} ${(output.bytes / 1024).toFixed(1)} KB`);
console.log(`build: ${sizes.length} files in static_build/\n  ${sizes.join("\n  ")}`);
