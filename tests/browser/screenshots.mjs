// Screenshots of a built site, to look at with your own eyes:
// the home, incident and FAQ pages at 375 px and 1280 px wide, in light and
// dark mode, with headless Chromium.
//
//   node tests/browser/screenshots.mjs SITE_DIR [OUT_DIR] [PAGE ...]
//
// OUT_DIR defaults to screenshots/. PAGE is a URL path; the defaults are /,
// the first incident and /faq/.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serveStatic, chromiumPath, CHROMIUM_ARGS } from "./serve-static.mjs";

const require = createRequire(import.meta.url);
const [site, outDir = "screenshots", ...extra] = process.argv.slice(2);
if (!site) {
  console.error("usage: node screenshots.mjs SITE_DIR [OUT_DIR] [PAGE ...]");
  process.exit(2);
}
const executablePath = chromiumPath();
if (!executablePath) {
  console.error("screenshots: Chromium is missing: install Debian's chromium package, or set CHROMIUM_BIN");
  process.exit(2);
}
let pages = extra;
if (pages.length === 0) {
  const incidents = fs.existsSync(path.join(site, "incidents")) ? fs.readdirSync(path.join(site, "incidents")).sort() : [];
  pages = ["/", ...(incidents.length ? [`/incidents/${incidents[0]}/`] : []), "/faq/"];
}
fs.mkdirSync(outDir, { recursive: true });
const { chromium } = require("playwright-core");
const { server, origin } = await serveStatic(site);
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  for (const scheme of ["light", "dark"]) {
    for (const width of [375, 1280]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      for (const p of pages) {
        await page.goto(origin + p, { waitUntil: "load" });
        const name = (p.replace(/^\/|\/$/g, "").replace(/\//g, "-") || "home") + `-${width}-${scheme}.png`;
        await page.screenshot({ path: path.join(outDir, name), fullPage: true });
        console.log(path.join(outDir, name));
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
