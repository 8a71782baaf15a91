// Lighthouse (mobile: a phone-size screen, a throttled CPU and a slow 4G
// network, simulated) on pages of a built site served from 127.0.0.1 with
// gzip, in Debian's Chromium. Prints one Markdown table row per page with the
// performance, accessibility, best-practices and SEO scores, and exits 1 if
// any score is below --min (default 95).
// Usage: node run.mjs SITE_DIR PORT [--min N] /path/ /ar/path/ ...
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, extname, normalize } from "node:path";
import { gzipSync } from "node:zlib";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const args = process.argv.slice(2);
const root = args.shift();
const port = Number(args.shift());
let min = 95;
if (args[0] === "--min") { args.shift(); min = Number(args.shift()); }
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml", ".xml": "application/xml", ".webp": "image/webp", ".jpg": "image/jpeg", ".png": "image/png", ".bin": "application/octet-stream" };
const compressible = /^(text\/|application\/(json|xml|javascript)|image\/svg)/;

const server = createServer(async (req, res) => {
  try {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.includes("..")) throw new Error("outside");
    let file = join(root, path);
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    let body = await readFile(file);
    const type = types[extname(file)] || "application/octet-stream";
    const headers = { "content-type": type, "cache-control": "public, max-age=600" };
    if (compressible.test(type) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
      body = gzipSync(body);
      headers["content-encoding"] = "gzip";
    }
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }
});
await new Promise((ok) => server.listen(port, "127.0.0.1", ok));

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const categories = ["performance", "accessibility", "best-practices", "seo"];
let low = 0;
console.log(`| page | ${categories.join(" | ")} |`);
console.log(`|---|${categories.map(() => "---:").join("|")}|`);
try {
  for (const path of args) {
    const result = await lighthouse(`http://127.0.0.1:${port}${path}`, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories });
    const scores = categories.map((c) => Math.round((result.lhr.categories[c]?.score ?? 0) * 100));
    if (scores.some((s) => s < min)) {
      low++;
      const failing = Object.values(result.lhr.audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "manual");
      console.error(`${path}: ${failing.map((a) => `${a.id} (${a.displayValue || a.score})`).join(", ")}`);
    }
    console.log(`| ${path} | ${scores.join(" | ")} |`);
  }
} finally {
  await chrome.kill();
  server.close();
}
process.exit(low ? 1 : 0);
