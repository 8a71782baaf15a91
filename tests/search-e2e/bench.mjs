// Search benchmark driver, started by bench/search.sh (not a test): for each
// `lang:query`, opens the language's bare search page in headless Chromium
// with an empty cache, types the query, and reports the files fetched (each
// gzip -9'd as a static host would serve it) and the script's own timing
// (ranking and display, measured inside search.js) cold and once the index
// parts are loaded.
//
//   node bench.mjs BASE_URL SITE_DIR lang:query ...
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const [base, siteDir, ...queries] = process.argv.slice(2);
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args });
const gz = (path) => gzipSync(readFileSync(siteDir + decodeURI(path)), { level: 9 }).length;

async function run(page, query) {
  const input = page.locator('#search-input');
  await page.evaluate(() => { document.querySelector('.search-results').dataset.query = ''; });
  await input.fill('');
  await input.fill(query);
  await page.waitForFunction((q) => document.querySelector('.search-results').dataset.query === q, query, { timeout: 30_000 });
  return page.evaluate(() => window.vitrineSearch);
}

try {
  console.log('query time (ms) is measured inside search.js from the query to the results on screen');
  for (const item of queries) {
    const [lang, query] = item.split(/:(.*)/s);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/bench-search/${lang}/`);
    const cold = await run(page, query);
    const warm = [];
    for (let i = 0; i < 5; i++) warm.push((await run(page, query)).ms);
    warm.sort((a, b) => a - b);
    const kinds = { meta: 0, shards: 0, excerpts: 0 };
    for (const path of cold.fetched) {
      const kind = path.endsWith('/meta.json') ? 'meta' : path.includes('/s/') ? 'shards' : 'excerpts';
      kinds[kind] += gz(path);
    }
    const total = kinds.meta + kinds.shards + kinds.excerpts;
    const kb = (n) => (n / 1024).toFixed(1);
    console.log(`${lang} «${query}»: ${cold.results} results; ${cold.fetched.length} files, ${kb(total)} KB gzipped ` +
      `(meta ${kb(kinds.meta)}, shards ${kb(kinds.shards)}, excerpts ${kb(kinds.excerpts)}); ` +
      `query ${cold.ms.toFixed(1)} ms cold (with fetches), ${warm[2].toFixed(1)} ms loaded (median of 5)`);
    await context.close();
  }
} finally {
  await browser.close();
}
