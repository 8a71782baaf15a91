// Serves a built site on 127.0.0.1 and runs axe-core (WCAG 2.0/2.1 A and AA)
// in Debian's Chromium on the given pages, or with --all on every HTML page
// of the site (redirect pages aside), several tabs at a time (--tabs N,
// default 4) in one browser; with --screenshots DIR it also saves desktop
// and phone screenshots of each page.
// Usage: node axe.mjs SITE_DIR [--base-url URL] [--all] [--tabs N] [--screenshots DIR] /path/ /en/path/ ...
// Absolute links to the site's base_url (cover pictures) are served from SITE_DIR.
// Prints one JSON line per page; exits 1 if any page has a violation.
import { createServer } from "node:http";
import { readFile, readdir, stat, mkdir } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const args = process.argv.slice(2);
const root = args.shift();
let shots = null;
let siteUrl = null;
let all = false;
let tabs = 4;
while (args[0]?.startsWith("--")) {
  const flag = args.shift();
  if (flag === "--screenshots") { shots = args.shift(); await mkdir(shots, { recursive: true }); }
  else if (flag === "--base-url") siteUrl = args.shift().replace(/\/$/, "");
  else if (flag === "--all") all = true;
  else if (flag === "--tabs") tabs = Math.max(1, Number(args.shift()) || 1);
}

// Every HTML page of the site as a URL path; alias pages (meta refresh) only redirect.
async function everyPage(dir, prefix = "/") {
  const paths = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) paths.push(...(await everyPage(file, `${prefix}${entry.name}/`)));
    else if (entry.name.endsWith(".html") && !(await readFile(file, "utf8")).includes('http-equiv="refresh"')) {
      paths.push(entry.name === "index.html" ? prefix : prefix + entry.name);
    }
  }
  return paths.sort();
}
if (all) args.push(...(await everyPage(root)));
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml", ".xml": "application/xml", ".js": "text/javascript" };

async function serve(pathname) {
  try {
    const path = normalize(decodeURIComponent(pathname));
    if (path.includes("..")) throw new Error("outside");
    let file = join(root, path);
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    return { status: 200, contentType: types[extname(file)] || "application/octet-stream", body: await readFile(file) };
  } catch {
    return { status: 404, contentType: "text/plain", body: "not found" };
  }
}
const server = createServer(async (req, res) => {
  const r = await serve(new URL(req.url, "http://x").pathname);
  res.writeHead(r.status, { "content-type": r.contentType });
  res.end(r.body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = 0;
try {
  // Each tab has a context of its own, so one tab's storage (a dismissed
  // notice) does not leak into another's pages.
  async function newContext() {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      // axe is injected as an inline script, which the site's strict CSP
      // refuses; the policy itself is checked by csp.mjs.
      bypassCSP: true,
    });
    // The portal's pages must not reach any other host (share links and videos are plain links).
    await context.route((url) => !url.href.startsWith(base), async (route) => {
      const url = route.request().url();
      if (siteUrl && url.startsWith(siteUrl + "/")) return route.fulfill(await serve(new URL(url).pathname));
      return route.abort();
    });
    return context;
  }
  async function check(page, foreign, path) {
    foreign.length = 0;
    const response = await page.goto(base + path, { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
    });
    // The documents filter: choosing a kind must hide every document of another kind.
    const filter = await page.evaluate(async () => {
      const form = document.querySelector(".doc-filter");
      if (!form) return null;
      const items = [...document.querySelectorAll(".doc-item")];
      const radio = [...form.querySelectorAll('input[name="kind"]')].find((r) => r.value);
      document.querySelector(`label[for="${radio.id}"]`).click();
      const visible = items.filter((i) => i.offsetParent !== null);
      const ok = visible.length > 0 && visible.length < items.length && visible.every((i) => i.dataset.kind === radio.value);
      document.querySelector('label[for="kind-all"]').click();
      return { kind: radio.value, total: items.length, visible: visible.length, ok };
    });
    if (filter && !filter.ok) failed++;
    if (shots) {
      const name = path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home";
      await page.screenshot({ path: join(shots, `${name}-desktop.png`), fullPage: false });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(shots, `${name}-phone.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    // Urgent notices: an emergency is an alert; closing the information
    // notice is remembered across pages (localStorage, no cookie).
    const notice = await page.evaluate(() => {
      const info = document.querySelector("details.site-notice");
      return {
        info: !!info,
        open: !!info && info.open,
        alert: !!document.querySelector(".site-notices [role=alert]"),
        cookies: document.cookie,
      };
    });
    if (notice.info) {
      await page.click("details.site-notice > summary");
      await page.waitForFunction(() => localStorage.length > 0, null, { timeout: 5000 });
      await page.reload({ waitUntil: "load" });
      notice.remembered = await page.evaluate(() => !document.querySelector("details.site-notice").open);
      notice.cookies = await page.evaluate(() => document.cookie);
      await page.evaluate(() => localStorage.clear());
    }
    const ok = response.status() === 200 && result.length === 0 && foreign.length === 0;
    if (!ok) failed++;
    console.log(JSON.stringify({ path, status: response.status(), violations: result, foreign_requests: [...foreign], filter, notice }));
  }
  // A few tabs take pages from one queue.
  const queue = [...args];
  await Promise.all(Array.from({ length: Math.min(tabs, queue.length) }, async () => {
    const context = await newContext();
    const page = await context.newPage();
    const foreign = [];
    page.on("request", (r) => { const u = r.url(); if (!u.startsWith(base) && !u.startsWith("data:") && !(siteUrl && u.startsWith(siteUrl + "/"))) foreign.push(r.url()); });
    while (queue.length) await check(page, foreign, queue.shift());
    await context.close();
  }));
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
