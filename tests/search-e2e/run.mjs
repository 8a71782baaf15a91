// End-to-end search test, started by tests/search.rs: opens the built site
// (served on loopback) in Debian's headless Chromium, types each query of
// cases.json into the search page and checks which pages come first.
//
//   node run.mjs BASE_URL CASES_JSON
//
// Prints one line per case and "N passed, M failed"; exits 1 on a failure.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [base, casesFile] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesFile, 'utf8'));
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// No background traffic: the test must only talk to the loopback server.
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const browser = await chromium.launch({ executablePath, args, timeout: 60_000 });
let passed = 0;
let failed = 0;
const report = (ok, name, detail) => {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
};

try {
  // The test's own waits are evaluated as strings, which the site's strict
  // CSP refuses; the policy itself is checked by tests/browser/csp.mjs.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const c of cases) {
    const name = `${c.page} «${c.query}»${c.section ? ` in ${c.section}` : ''}`;
    try {
      await page.goto(base + c.page);
      const input = page.locator('#search-input');
      await input.waitFor({ state: 'visible' });
      if (c.section) await page.selectOption('#search-section', c.section);
      await input.pressSequentially(c.query, { delay: 15 });
      await page.waitForFunction((q) => document.querySelector('.search-results').dataset.query === q, c.query);
      const fetchedBefore = await page.evaluate(() => window.vitrineSearch?.fetched || []);
      if (c.more || c.moreShown) {
        await page.click('.search-more');
        await page.waitForFunction((n) => document.querySelectorAll('.search-result').length === n, c.more || c.moreShown);
      }
      const got = await page.evaluate(() => ({
        // The reader's language's list (the first), then each fallback list.
        paths: Array.from(document.querySelectorAll('.search-results')[0].querySelectorAll('.search-result h2 a'), (a) => decodeURI(new URL(a.href).pathname)),
        marks: Array.from(document.querySelectorAll('.search-results')[0].querySelectorAll('.search-result mark'), (m) => m.textContent),
        section: document.querySelector('.search-result .search-result-section')?.textContent || '',
        date: document.querySelector('.search-result time')?.textContent || '',
        fallbacksHidden: document.querySelector('.search-fallbacks').hidden,
        fallbacks: Array.from(document.querySelectorAll('.search-fallback'), (part) => ({
          heading: part.querySelector('h3').textContent,
          headingLang: part.querySelector('h3').lang,
          lang: part.querySelector('ol').dataset.lang,
          links: Array.from(part.querySelectorAll('.search-result h2 a'), (a) => ({
            path: decodeURI(new URL(a.href).pathname), hreflang: a.hreflang, lang: a.lang })),
        })),
        status: document.querySelector('.search-status').textContent,
        moreHidden: document.querySelector('.search-more').hidden,
      }));
      const problems = [];
      if (c.first && got.paths[0] !== c.first) problems.push(`first is ${got.paths[0]}, expected ${c.first}`);
      if (c.paths && JSON.stringify(got.paths.slice(0, c.paths.length)) !== JSON.stringify(c.paths)) problems.push(`results in another order than ${c.paths.join(', ')}`);
      if (new Set(got.paths).size !== got.paths.length) problems.push('a result listed twice');
      for (const p of c.includes || []) if (!got.paths.includes(p)) problems.push(`missing ${p}`);
      for (const p of c.excludes || []) if (got.paths.includes(p)) problems.push(`unexpected ${p}`);
      if (c.shown !== undefined && got.paths.length !== c.shown) problems.push(`${got.paths.length} shown, expected ${c.shown}`);
      if (c.shown !== undefined && got.moreHidden) problems.push('no button for more results');
      if (c.more !== undefined && !got.moreHidden) problems.push('the button stays after every result is shown');
      if (c.count !== undefined && got.paths.length !== c.count) problems.push(`${got.paths.length} results, expected ${c.count}`);
      if (c.statusIncludes && !got.status.includes(c.statusIncludes)) problems.push(`status «${got.status}» lacks ${c.statusIncludes}`);
      // Files the query read (before a click on "more"), and after it.
      if (c.notFetched && fetchedBefore.some((f) => f.includes(c.notFetched))) problems.push(`fetched ${c.notFetched} for the first results`);
      if (c.fetchedFirst && !fetchedBefore.some((f) => f.includes(c.fetchedFirst))) problems.push(`${c.fetchedFirst} not fetched`);
      if (c.fetchedAfter) {
        const after = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname));
        if (!after.some((f) => f.includes(c.fetchedAfter))) problems.push(`${c.fetchedAfter} not fetched for more results`);
      }
      if (c.fallback) {
        const lists = Object.fromEntries(got.fallbacks.map((f) => [f.lang, f.links.map((l) => l.path)]));
        if (JSON.stringify(lists) !== JSON.stringify(c.fallback)) problems.push(`fallback lists ${JSON.stringify(lists)}, expected ${JSON.stringify(c.fallback)}`);
        if (got.fallbacksHidden !== (got.fallbacks.length === 0)) problems.push('fallback box shown without lists, or hidden with them');
        for (const f of got.fallbacks) {
          if (f.headingLang !== f.lang || !f.heading) problems.push(`list ${f.lang} is not labelled in its language`);
          for (const l of f.links) if (l.hreflang !== f.lang || l.lang !== f.lang) problems.push(`${l.path} lacks hreflang/lang ${f.lang}`);
        }
      }
      if (c.mark && !got.marks.includes(c.mark)) problems.push(`no <mark>${c.mark}</mark> in ${JSON.stringify(got.marks)}`);
      if (got.paths.length && (!got.section || !got.date)) problems.push(`first result lacks section or date`);
      if (got.paths.length === 0 && !got.status) problems.push('no status for an empty result');
      if (errors.length) problems.push(`page errors: ${errors.splice(0).join('; ')}`);
      report(!problems.length, name, `${problems.join('; ')} (results: ${got.paths.join(', ')})`);
    } catch (e) {
      report(false, name, String(e).split('\n')[0]);
    }
  }

  // Without JavaScript the page is a list of sections, and no broken form.
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(`${base}/en/search/`);
  const formVisible = await plain.locator('form.search-form').isVisible();
  const tiles = await plain.locator('.search-browse a.tile').count();
  report(!formVisible && tiles === 3, 'without JavaScript: section links, no form', `form visible ${formVisible}, ${tiles} links`);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
