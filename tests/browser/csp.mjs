// Loads pages in Debian's Chromium with a Content-Security-Policy enforced
// and reports every violation (securitypolicyviolation events, console
// errors, page errors). Run by tests/testsuite/security.rs.
//
// Static mode: node csp.mjs static SITE_DIR PORT /path/ /path/ ... — serves
//   SITE_DIR on 127.0.0.1:PORT, every response with the policy of the site's
//   `_headers` file as a real header; a path `search:/en/search/:query`
//   loads the search page and performs a search.
// Serve mode: node csp.mjs serve URL BREAK_FILE — loads a page of a running
//   `vitrine serve`, breaks the site by writing BREAK_FILE, waits for the
//   live-reload overlay, restores the file and waits for the reload.
// Prints one JSON line per check; exits 1 on any violation.
import { createServer } from "node:http";
import { readFile, writeFile, stat } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
import { chromium } from "playwright-core";

const [mode, ...args] = process.argv.slice(2);
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml", ".js": "text/javascript", ".json": "application/json", ".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png" };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function watched(context) {
  const page = await context.newPage();
  // The machine may be busy (debug builds, other tests): be patient.
  page.setDefaultTimeout(90000);
  page.setDefaultNavigationTimeout(90000);
  const problems = [];
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
  });
  page.on("console", (m) => {
    // A missing page's own 404 status is what the 404 check asks for.
    const own404 = m.text().includes("status of 404") && m.location().url === page.url();
    if (m.type() === "error" && !own404) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e}`));
  const report = async () => [...problems, ...(await page.evaluate(() => window.__violations))];
  return { page, report };
}

let failed = 0;
function emit(record) {
  if (record.problems.length || !record.ok) failed++;
  console.log(JSON.stringify(record));
}

async function staticMode([root, port, ...paths]) {
  const headers = await readFile(join(root, "_headers"), "utf8");
  const policy = headers.match(/Content-Security-Policy: (.*)/)[1];
  const server = createServer(async (req, res) => {
    try {
      const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (path.includes("..")) throw new Error("outside");
      let file = join(root, path);
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream", "content-security-policy": policy });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8", "content-security-policy": policy });
      res.end(await readFile(join(root, "404.html")).catch(() => "not found"));
    }
  });
  await new Promise((ok) => server.listen(Number(port), "127.0.0.1", ok));
  const base = `http://127.0.0.1:${port}`;
  const context = await browser.newContext();
  try {
    for (const spec of paths) {
      const [kind, path, query] = spec.startsWith("search:") ? spec.split(":") : ["page", spec];
      const { page, report } = await watched(context);
      const response = await page.goto(base + path, { waitUntil: "load" });
      let ok = response.headers()["content-security-policy"] === policy;
      let found = null;
      if (kind === "search") {
        const input = page.locator("#search-input");
        await input.waitFor({ state: "visible" });
        await input.pressSequentially(query, { delay: 15 });
        await page.waitForFunction((q) => document.querySelector(".search-results").dataset.query === q, query);
        found = await page.evaluate(() => document.querySelectorAll(".search-result").length);
        ok = ok && found > 0;
      }
      // Styles applied: the stylesheet is not blocked.
      const styled = await page.evaluate(() => getComputedStyle(document.body).margin !== "8px");
      await page.waitForTimeout(200);
      emit({ path: spec, status: response.status(), ok: ok && styled, styled, found, problems: await report() });
      await page.close();
    }
  } finally {
    server.close();
  }
}

async function serveMode([url, breakFile]) {
  const context = await browser.newContext();
  const { page, report } = await watched(context);
  // The site is broken only once the page listens: a fixed wait was a race.
  const listening = page.waitForResponse((r) => r.url().endsWith("/__vitrine/events"));
  await page.goto(url, { waitUntil: "load" });
  await listening;
  const original = await readFile(breakFile, "utf8");
  let overlay = null;
  try {
    await writeFile(breakFile, original.replace(/^---\n/, "---\ntitle: [unclosed\n"));
    await page.waitForSelector("#vitrine-error-overlay", { timeout: 90000 });
    overlay = await page.evaluate(() => getComputedStyle(document.getElementById("vitrine-error-overlay")).position);
  } finally {
    await writeFile(breakFile, original);
  }
  await page.waitForFunction(() => !document.getElementById("vitrine-error-overlay"), null, { timeout: 90000 });
  emit({ path: url, ok: overlay === "fixed", overlay, problems: await report() });
}

try {
  if (mode === "static") await staticMode(args);
  else if (mode === "serve") await serveMode(args);
  else throw new Error(`unknown mode ${mode}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
