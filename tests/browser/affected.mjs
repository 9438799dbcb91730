// "Were you affected?" in headless Chromium: a code from the mailing list,
// typed into the form and opened by the personal link, finds its person's
// audience (and enrolment code, decrypted in the page); a mistyped code
// and a well-formed code that is not in the list are refused plainly.
//
//   node tests/browser/affected.mjs SITE_PUBLIC_DIR MAILING_CSV
import fs from "node:fs";
import { createRequire } from "node:module";
import { serveStatic, chromiumPath, CHROMIUM_ARGS } from "./serve-static.mjs";

const require = createRequire(import.meta.url);
const [site, mailing] = process.argv.slice(2);
if (!site || !mailing || !fs.existsSync(`${site}/affected/index.html`) || !fs.existsSync(mailing)) {
  console.error("usage: node affected.mjs SITE_PUBLIC_DIR MAILING_CSV (after candor notices --recipients and candor build)");
  process.exit(2);
}
const executablePath = chromiumPath();
if (!executablePath) {
  console.error("affected: Chromium is missing: install Debian's chromium package, or set CHROMIUM_BIN");
  process.exit(2);
}
// The mailing list: code (column 3) and audience (last column) of each letter.
const rows = fs.readFileSync(mailing, "utf8").split("\n").slice(1)
  .map((l) => l.match(/^\d+,[^,]+,([0-9A-Z-]{23}),.*,([a-z0-9-]*)$/))
  .filter(Boolean)
  .map((m) => ({ code: m[1], audience: m[2] }));
if (rows.length === 0) {
  console.error("affected: no codes in " + mailing);
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(`${site}/affected/manifest.json`, "utf8"));
const nameOf = (id) => (manifest.audiences.find((a) => a.id === id) || manifest.audiences[0]).name;

const { chromium } = require("playwright-core");
const { server, origin } = await serveStatic(site);
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
let failures = 0;
const expect = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
};
try {
  const page = await browser.newPage();
  const answer = async () => {
    await page.waitForFunction(() => {
      const t = document.getElementById("affected-answer").textContent;
      return t && t !== "Checking…";
    }, null, { timeout: 10000 });
    return page.textContent("#affected-answer");
  };
  const withOffer = rows.find((r) => (manifest.audiences.find((a) => a.id === r.audience) || {}).offer) || rows[0];
  for (const r of [rows[0], withOffer]) {
    // Typed, in lower case with spaces: still found.
    await page.goto(`${origin}/affected/`);
    await page.fill("#affected-code", r.code.toLowerCase().replace(/-/g, " "));
    await page.click("button[type=submit]");
    let text = await answer();
    expect(text.includes("Yes: your details were involved") && text.includes(nameOf(r.audience)), `typed ${r.code}: ${nameOf(r.audience)}`);
    const a = manifest.audiences.find((x) => x.id === r.audience);
    if (a && a.offer && a.offer.code) {
      expect(new RegExp(`Your ${a.offer.code.toLowerCase()}: \\S+`).test(text), `the ${a.offer.code.toLowerCase()} is decrypted in the page`);
    }
    // The personal link from the letter.
    await page.goto(`${origin}/affected/#${r.code}`);
    text = await answer();
    expect(text.includes("Yes: your details were involved"), `personal link for ${r.code}`);
  }
  // One symbol wrong: the check symbol catches it.
  await page.goto(`${origin}/affected/`);
  const c = rows[0].code;
  const wrong = c.slice(0, 4) + (c[4] === "Z" ? "Y" : "Z") + c.slice(5);
  await page.fill("#affected-code", wrong);
  await page.click("button[type=submit]");
  let text = await answer();
  expect(text.includes("That is not a reference code"), `a mistyped code (${wrong}) is refused`);
  // A well-formed code nobody was given.
  const unknown = "000-000-000-000-000-000";
  await page.fill("#affected-code", unknown);
  await page.click("button[type=submit]");
  text = await answer();
  expect(text.includes("We have no record of this code"), "a code not in the list: no record, and how to reach a person");
} finally {
  await browser.close();
  server.close();
}
if (failures) {
  console.error(`affected: ${failures} checks failed`);
  process.exit(1);
}
console.log("affected: all checks passed");
