// Prints a letter to PDF with headless Chromium, as a person would with
// "Save as PDF", and checks it fits on at most two pages.
//
//   node tests/browser/letter-pdf.mjs NOTICES_DIR/<incident>/letter.html [OUT.pdf] [MAX_PAGES]
//
// The page size comes from the letter's own @page rule (A4 or US Letter).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromiumPath, CHROMIUM_ARGS } from "./serve-static.mjs";

const require = createRequire(import.meta.url);
const [letter, out = "letter.pdf", max = "2"] = process.argv.slice(2);
if (!letter || !fs.existsSync(letter)) {
  console.error("usage: node letter-pdf.mjs path/to/letter.html [OUT.pdf] [MAX_PAGES]");
  process.exit(2);
}
const executablePath = chromiumPath();
if (!executablePath) {
  console.error("letter-pdf: Chromium is missing: install Debian's chromium package, or set CHROMIUM_BIN");
  process.exit(2);
}
const { chromium } = require("playwright-core");
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  await page.goto("file://" + path.resolve(letter), { waitUntil: "load" });
  await page.emulateMedia({ media: "print" });
  await page.pdf({ path: out, preferCSSPageSize: true, printBackground: true });
} finally {
  await browser.close();
}
const pdf = fs.readFileSync(out, "latin1");
const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
console.log(`letter-pdf: ${out}: ${pages} pages (at most ${max} allowed)`);
process.exit(pages >= 1 && pages <= Number(max) ? 0 : 1);
