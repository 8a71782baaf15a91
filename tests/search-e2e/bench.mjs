// Search benchmark driver, started by bench/search.sh (not a test): for each
// `lang:query`, opens the language's bare search page in headless Chromium
// with an empty cache, types the query, and reports the files fetched (each
// gzip -9'd as a static host would serve it, by kind) and the script's own timing
// (ranking and display, measured inside search.js) cold and once the index
// parts are loaded, with the share of ranking in it.
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
    for (let i = 0; i < 5; i++) warm.push(await run(page, query));
    warm.sort((a, b) => a.ms - b.ms);
    const kinds = { meta: 0, shards: 0, stems: 0, stemmer: 0, rest: 0, fragments: 0 };
    const kindOf = (path) => (path.endsWith('/meta.json') ? 'meta' : path.includes('/s/') ? 'shards'
      : path.includes('/w/') ? 'stems' : path.endsWith('/stem.js') ? 'stemmer' : path.includes('/x/') ? 'rest' : 'fragments');
    for (const path of cold.fetched) kinds[kindOf(path)] += gz(path);
    const total = Object.values(kinds).reduce((a, b) => a + b, 0);
    const kb = (n) => (n / 1024).toFixed(1);
    console.log(`${lang} «${query}»: ${cold.results} results; ${cold.fetched.length} files, ${kb(total)} KB gzipped ` +
      `(meta ${kb(kinds.meta)}, term shards ${kb(kinds.shards)}, stem shards ${kb(kinds.stems)}, stemmer ${kb(kinds.stemmer)}, ` +
      `postings past the head ${kb(kinds.rest)}, result fragments ${kb(kinds.fragments)}); ` +
      `query ${cold.ms.toFixed(1)} ms cold (with fetches), ${warm[2].ms.toFixed(1)} ms loaded (median of 5; ` +
      `${warm[2].rankMs.toFixed(1)} ms of it ranking, the rest showing ten results)`);
    await context.close();
  }
} finally {
  await browser.close();
}
