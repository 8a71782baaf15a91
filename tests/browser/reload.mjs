// Saves an edit to a page's source file right after the page has loaded in
// Debian's Chromium under a running `vitrine serve`, TRIES times, and checks
// that the open page reloads by itself to show each edit: the race between
// the server's reload event and the page's event stream connecting. Run by
// tests/testsuite/serve.rs and bench/serve-latency.sh.
//
//   node reload.mjs URL FILE TRIES [WAIT_MS] [LOADED]
//
// Prints one JSON line per try ({try, reloaded, ms}) and a last one
// ({reloaded, of}); exits 1 unless every try reloaded. A try waits WAIT_MS
// (default 10000) for the edit: a missed reload never comes, however long.
// LOADED is the moment the edit is saved at: "load" (the default),
// "domcontentloaded" or "commit" (the page's response has arrived).
import { readFile, writeFile } from "node:fs/promises";
import { chromium } from "playwright-core";

const [url, file, tries = "20", waitMs = "10000", loaded = "load"] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// True once the open page shows `marker`, polled without navigating: only
// the page's own live-reload may bring it. Reading can fail, or wait, while
// the page is reloading; the next poll reads the new page.
async function shows(page, marker, wait) {
  const deadline = Date.now() + wait;
  const late = () => new Promise((ok) => setTimeout(() => ok(""), 1000));
  while (Date.now() < deadline) {
    const read = page.evaluate(() => document.body?.textContent ?? "").catch(() => "");
    const text = await Promise.race([read, late()]);
    if (text.includes(marker)) return true;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return false;
}

// Opens `url` and returns once it has reached `loaded`. The page may reload
// itself meanwhile, aborting this navigation: it was served just before a
// rebuild (an editor's save can be seen twice, truncated then whole) and
// found out on connecting. That is the behaviour under test, not a failure.
async function open(page) {
  try {
    await page.goto(url, { waitUntil: loaded });
  } catch (e) {
    if (!/ERR_ABORTED|interrupted by another navigation/.test(String(e))) throw e;
    await page.waitForLoadState(loaded === "commit" ? "domcontentloaded" : loaded);
  }
}

const original = await readFile(file, "utf8");
let reloaded = 0;
try {
  const page = await (await browser.newContext()).newPage();
  // The machine may be busy (release builds, other tests): be patient.
  page.setDefaultNavigationTimeout(90000);
  for (let i = 1; i <= Number(tries); i++) {
    await open(page);
    // A fresh word each try, so an earlier edit cannot pass for this one.
    const marker = `edited-${i}-${Date.now()}`;
    const start = Date.now();
    await writeFile(file, `${original.trimEnd()}\n\n${marker}\n`);
    const ok = await shows(page, marker, Number(waitMs));
    if (ok) reloaded++;
    console.log(JSON.stringify({ try: i, reloaded: ok, ms: Date.now() - start }));
  }
} finally {
  await writeFile(file, original);
  await browser.close();
}
console.log(JSON.stringify({ reloaded, of: Number(tries) }));
process.exit(reloaded === Number(tries) ? 0 : 1);
