// No horizontal scrolling on a phone: every page of a built site and every
// email (HTML) of its notices, loaded in headless Chromium at 320 and 375
// CSS pixels wide, must fit: nothing may be wider than the screen. And at
// 1280 px the navigation takes the same number of rows on every page.
//
//   node tests/browser/overflow.mjs SITE_DIR NOTICES_DIR
//
// Exit 0 clean, 1 overflow found, 2 a tool is missing or failed.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { serveStatic, htmlPages, urlFor, chromiumPath, CHROMIUM_ARGS } from "./serve-static.mjs";

const require = createRequire(import.meta.url);
const [site, notices] = process.argv.slice(2);
if (!site || !notices || !fs.existsSync(path.join(site, "index.html")) || !fs.existsSync(notices)) {
  console.error("usage: node overflow.mjs SITE_DIR NOTICES_DIR");
  process.exit(2);
}
const executablePath = chromiumPath();
if (!executablePath) {
  console.error("overflow: Chromium is missing: install Debian's chromium package, or set CHROMIUM_BIN");
  process.exit(2);
}
const emails = htmlPages(notices).filter((p) => /(^|\/)email\.html$/.test(p));
const { chromium } = require("playwright-core");
const servers = [await serveStatic(site), await serveStatic(notices)];
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
let overflowing = 0;
let checked = 0;
try {
  for (const width of [320, 375]) {
    const context = await browser.newContext({ viewport: { width, height: 740 }, deviceScaleFactor: 2, isMobile: true });
    const page = await context.newPage();
    const targets = [
      ...htmlPages(site).map((p) => [servers[0].origin + urlFor(p), `public/${p}`]),
      ...emails.map((p) => [servers[1].origin + "/" + p, `notices/${p}`]),
    ];
    for (const [url, name] of targets) {
      await page.goto(url, { waitUntil: "load" });
      // The widest element against the screen: any wider one means the reader
      // scrolls sideways or loses the end of each line.
      const { scroll, screen, culprit } = await page.evaluate(() => {
        const screen = document.documentElement.clientWidth;
        let culprit = "";
        let widest = 0;
        for (const el of document.body.querySelectorAll("*")) {
          const r = el.getBoundingClientRect();
          if (r.right > screen + 1 && r.right > widest) {
            widest = r.right;
            culprit = `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""} (${Math.round(r.right)}px)`;
          }
        }
        return { scroll: document.documentElement.scrollWidth, screen, culprit };
      });
      checked += 1;
      if (scroll > screen + 1 || culprit) {
        overflowing += 1;
        console.log(`overflow at ${width}px: ${name}: ${scroll}px wide for a ${screen}px screen; widest: ${culprit}`);
      }
    }
    await context.close();
  }
  // The navigation wraps the same way on every page (marking the current
  // page must not change its width), at a desktop width.
  const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const rows = new Map();
  for (const p of htmlPages(site)) {
    await desk.goto(servers[0].origin + urlFor(p), { waitUntil: "load" });
    // The site's navigation is the header's first; its label is in the
    // page's language, so it is found by place, not by name.
    const [lang, n] = await desk.evaluate(() => [
      document.documentElement.lang,
      new Set([...document.querySelectorAll("header nav:first-of-type a")].map((a) => Math.round(a.getBoundingClientRect().top))).size,
    ]);
    if (n === 0) {
      overflowing += 1;
      console.log(`navigation at 1280px: ${p} has no navigation links`);
    }
    if (!rows.has(lang)) rows.set(lang, new Map());
    rows.get(lang).set(p, n);
  }
  // Each language's words have their own widths: compare within one.
  for (const [lang, pages] of rows) {
    const counts = new Set(pages.values());
    if (counts.size > 1) {
      overflowing += 1;
      console.log(`navigation at 1280px (${lang}): rows differ between pages: ${[...pages].map(([p, n]) => `${p}=${n}`).join(", ")}`);
    }
  }
} finally {
  await browser.close();
  for (const s of servers) s.server.close();
}
console.log(`overflow: ${checked} page loads (pages and emails at 320 and 375 px), ${overflowing} too wide`);
if (overflowing) process.exitCode = 1;
