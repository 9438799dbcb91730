// The project's own check of a built site, in the tools readers' browsers
// and validators use:
//   1. every HTML page through the Nu Html Checker (0 errors allowed);
//   2. every page through axe-core in headless Chromium, WCAG 2.2 A and AA
//      tags, in light and in dark mode (0 violations allowed);
//   3. every request the browser tries to make to another origin (0 allowed).
//
//   node tests/browser/check-site.mjs SITE_DIR
//
// Exit 0 clean, 1 problems found, 2 a tool is missing or failed.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { serveStatic, htmlPages, urlFor, chromiumPath, CHROMIUM_ARGS } from "./serve-static.mjs";

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const site = process.argv[2];
if (!site || !fs.existsSync(path.join(site, "index.html"))) {
  console.error(`usage: node check-site.mjs SITE_DIR (a built site with index.html)`);
  process.exit(2);
}
const pages = htmlPages(site);

function missing(what, how) {
  console.error(`site-check: ${what} is missing: ${how}`);
  process.exit(2);
}

// 1. Nu Html Checker
const jar = path.join(here, "node_modules/vnu-jar/build/dist/vnu.jar");
if (!fs.existsSync(jar)) missing("vnu.jar", "run `npm ci --ignore-scripts` in tests/browser");
const java = spawnSync("java", ["-version"]);
if (java.error) missing("java", "install a Java runtime (Debian: openjdk-17-jre-headless)");
const vnu = spawnSync(
  "java",
  ["-Xss4m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar,
   "--errors-only", "--format", "json", "--stdout", "--exit-zero-always",
   ...pages.map((p) => path.join(site, p))],
  { encoding: "utf8", maxBuffer: 64 << 20 },
);
let htmlErrors = 0;
try {
  const messages = JSON.parse(vnu.stdout).messages.filter((m) => m.type === "error" || m.type === "non-document-error");
  htmlErrors = messages.length;
  for (const m of messages.slice(0, 20)) {
    console.log(`html: ${path.relative(site, new URL(m.url).pathname)}:${m.lastLine ?? "?"}: ${m.message}`);
  }
} catch (e) {
  console.error(`site-check: could not read the Nu Html Checker's output: ${e}\n${vnu.stderr}`);
  process.exit(2);
}
console.log(`html: ${pages.length} pages checked, ${htmlErrors} errors`);

// 2 and 3. axe-core in Chromium, and requests to other origins
const executablePath = chromiumPath();
if (!executablePath) missing("Chromium", "install Debian's chromium package, or set CHROMIUM_BIN");
const { chromium } = require("playwright-core");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const { server, origin } = await serveStatic(site);
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
let violations = 0;
const external = new Set();
try {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin)) return route.continue();
      external.add(url);
      return route.abort();
    });
    const page = await context.newPage();
    for (const p of pages) {
      const response = await page.goto(origin + urlFor(p), { waitUntil: "load" });
      if (!response || (response.status() !== 200 && !p.endsWith("404.html"))) {
        console.error(`site-check: ${p} did not load (${response && response.status()})`);
        process.exitCode = 2;
        continue;
      }
      await page.evaluate(axeSource);
      const result = await page.evaluate(() =>
        // eslint-disable-next-line no-undef
        axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
      );
      for (const v of result.violations) {
        violations += v.nodes.length;
        console.log(`axe (${scheme}): ${p}: ${v.id} (${v.impact}) x${v.nodes.length}: ${v.help}; e.g. ${v.nodes[0].target.join(" ")}`);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
for (const url of external) console.log(`external request: ${url}`);
console.log(`axe: ${pages.length} pages x 2 colour schemes, ${violations} violations`);
console.log(`site-check: html_errors=${htmlErrors} axe_violations=${violations} external_requests=${external.size}`);
if (process.exitCode !== 2 && (htmlErrors || violations || external.size)) process.exitCode = 1;
