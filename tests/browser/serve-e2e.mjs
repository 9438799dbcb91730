// End-to-end test of `candor serve` in headless Chromium:
//   1. start the preview on a copy of a fixture site and open the home page;
//   2. change an update's text on disk: the page shows it with no action;
//   3. break a front-matter line: the overlay names the file and line;
//   4. fix it: the overlay goes and the page is up to date.
//
//   node tests/browser/serve-e2e.mjs path/to/candor
//
// Ends with "serve-e2e: N passed, M failed"; exit 0 only when all passed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { chromiumPath, CHROMIUM_ARGS } from "./serve-static.mjs";

const require = createRequire(import.meta.url);
const candor = path.resolve(process.argv[2] || "target/release/candor");
const here = path.dirname(new URL(import.meta.url).pathname);
const fixture = path.resolve(here, "../fixtures/basic");
const executablePath = chromiumPath();
if (!executablePath) {
  console.error("serve-e2e: Chromium is missing: install Debian's chromium package, or set CHROMIUM_BIN");
  process.exit(2);
}
if (!fs.existsSync(candor)) {
  console.error(`serve-e2e: ${candor} does not exist: build it first (cargo build --release)`);
  process.exit(2);
}

const site = fs.mkdtempSync(path.join(os.tmpdir(), "candor-e2e-"));
fs.cpSync(fixture, site, { recursive: true });
const server = spawn(candor, ["serve", site, "--port", "0", "--now", "2026-12-01T12:00:00Z"], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
const url = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("candor serve did not start:\n" + log)), 15000);
  server.stderr.on("data", (d) => {
    log += d;
    const m = log.match(/http:\/\/127\.0\.0\.1:\d+\//);
    if (m) { clearTimeout(timer); resolve(m[0]); }
  });
  server.on("exit", (code) => reject(new Error(`candor serve exited (${code}):\n${log}`)));
});

const { chromium } = require("playwright-core");
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e).split("\n").join("\n  ")}`);
  }
}

const updateFile = path.join(site, "content/incidents/laptop-theft/01-first.md");
const original = fs.readFileSync(updateFile, "utf8");
try {
  const page = await browser.newPage();
  const pageUrl = url + "incidents/laptop-theft/";
  await step("the preview shows the page", async () => {
    await page.goto(pageUrl, { waitUntil: "load" });
    await page.getByText("This is the first update.").waitFor({ timeout: 5000 });
  });
  // Let the page open its event stream before changing anything.
  await page.waitForTimeout(300);
  await step("an edit on disk shows in the page with no action", async () => {
    fs.writeFileSync(updateFile, original.replace("This is the first update.", "Freshly edited text."));
    await page.getByText("Freshly edited text.").waitFor({ timeout: 5000 });
  });
  await step("a broken front-matter line shows an overlay naming the file and line", async () => {
    fs.writeFileSync(updateFile, original.replace('status = "investigating"', "status = investigating"));
    const overlay = page.locator(".candor-overlay");
    await overlay.waitFor({ state: "visible", timeout: 5000 });
    const text = await overlay.innerText();
    if (!text.includes("content/incidents/laptop-theft/01-first.md:4:")) throw new Error("overlay text: " + text);
  });
  await step("fixing it removes the overlay and updates the page", async () => {
    fs.writeFileSync(updateFile, original.replace("This is the first update.", "Fixed and updated."));
    await page.getByText("Fixed and updated.").waitFor({ timeout: 5000 });
    const overlays = await page.locator(".candor-overlay").count();
    if (overlays !== 0) throw new Error(`${overlays} overlays still shown`);
  });
  await step("the preview serves its reload script in pages", async () => {
    const res = await page.request.get(url);
    if (!(await res.text()).includes("/_candor/reload.js")) throw new Error("the preview should inject it");
  });
} finally {
  await browser.close();
  server.kill("SIGINT");
  fs.rmSync(site, { recursive: true, force: true });
}
console.log(`serve-e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
