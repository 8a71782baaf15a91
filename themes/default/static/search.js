// vitrine site search: no framework, no third-party request.
//
// Reads this language's index written by vitrine (src/search/): meta.json
// (pages, sections, first term of each shard) once, then only the shards holding the
// query's terms, then the excerpt files of the results on screen. Query
// text is split and folded exactly as src/search/normalize.rs does for the
// index: keep the two in step.
(() => {
  'use strict';
  const form = document.querySelector('.search-form');
  if (!form) return;
  const input = form.querySelector('input[type="search"]');
  const sectionSelect = form.querySelector('select');
  const status = document.querySelector('.search-status');
  const list = document.querySelector('.search-results');
  const more = document.querySelector('.search-more');
  const indexUrl = new URL(form.dataset.index, location.href);
  const siteRoot = new URL('../../', indexUrl);
  const lang = form.dataset.lang;
  // Results shown at once; excerpts are fetched only for these.
  const PAGE_SIZE = 10;
  const EXCERPT_BEFORE = 60;
  const EXCERPT_LENGTH = 220;

  // ---- normalization (mirror of normalize.rs) ----
  const CJK = /[\u1100-\u11FF\u3040-\u30FF\u3130-\u318F\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
  const WORD = /[\p{L}\p{N}\p{M}]/u;
  const FOLD_MAP = { 'đ': 'd', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'ı': 'i',
    'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ة': 'ه', 'ک': 'ك', '\u0640': '' };
  const FOLD_CHARS = /[đßæœøłıٱىیةک\u0640]/gu;
  const fold = (w) => w.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
    .replace(FOLD_CHARS, (c) => FOLD_MAP[c]);
  const exact = (w) => w.normalize('NFC').toLowerCase().replace(/\u0640/g, '');

  // Words and CJK runs of `text` with their offsets (UTF-16 indices).
  function segments(text) {
    const out = [];
    let start = -1;
    let cjk = false;
    let i = 0;
    const close = (end) => {
      if (start >= 0) out.push({ start, end, cjk, text: text.slice(start, end) });
      start = -1;
    };
    for (const c of text) {
      const isCjk = CJK.test(c);
      if (isCjk || WORD.test(c)) {
        if (start >= 0 && isCjk !== cjk) close(i);
        if (start < 0) { start = i; cjk = isCjk; }
      } else {
        close(i);
      }
      i += c.length;
    }
    close(i);
    return out;
  }

  // Query terms: words folded, CJK runs as bigrams (a lone character as itself).
  function queryTerms(text) {
    const terms = [];
    for (const seg of segments(text)) {
      if (seg.cjk) {
        const chars = Array.from(seg.text);
        if (chars.length === 1) terms.push({ exact: chars[0], fold: chars[0], cjk: true });
        for (let i = 0; i + 1 < chars.length; i++) {
          const bigram = chars[i] + chars[i + 1];
          terms.push({ exact: bigram, fold: bigram, cjk: true });
        }
      } else {
        const f = fold(seg.text);
        if (f) terms.push({ exact: exact(seg.text), fold: f, cjk: false });
      }
    }
    const seen = new Set();
    return terms.filter((t) => !seen.has(t.exact) && seen.add(t.exact));
  }

  // ---- loading ----
  const cache = new Map();
  const fetched = [];
  function load(path) {
    if (!cache.has(path)) {
      const url = new URL(path, indexUrl);
      fetched.push(url.pathname);
      cache.set(path, fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${r.status} ${url}`);
        return r.json();
      }));
    }
    return cache.get(path);
  }
  // Shards read for a word being typed, at most: a short prefix may span
  // many, and the reader sees the full word's results a keystroke later.
  const MAX_PREFIX_SHARDS = 3;

  // The shards that may hold `term`: the last whose first term sorts at or
  // before it (strings compare in UTF-16 order, as the index was sorted),
  // and, when the last word is still being typed, the next ones its prefix
  // spans.
  function shardsFor(meta, term, prefix) {
    const firsts = meta.shards;
    let lo = 0;
    let hi = firsts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (firsts[mid] <= term.fold) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    const out = at >= 0 ? [at] : [];
    for (let i = at + 1; prefix && i < firsts.length && firsts[i].startsWith(term.fold) && out.length <= MAX_PREFIX_SHARDS; i++) {
      out.push(i);
    }
    return out;
  }

  // ---- ranking ----
  // Per query term, each page's best match: weight saturates (title words
  // weigh 10, body words 1) and rare terms count more. Pages matching more
  // query terms come first, then those matching the diacritics typed.
  async function rank(meta, terms, prefixLast) {
    const total = meta.pages.length;
    const byPage = new Map();
    await Promise.all(terms.map(async (term, t) => {
      // A lone CJK character is indexed on its own only where a run ends;
      // elsewhere it is in the bigrams it starts, which sort right after
      // it: its weight on a page is theirs added up.
      const lone = term.cjk && Array.from(term.fold).length === 1;
      const prefix = lone || (prefixLast && t === terms.length - 1 && !term.cjk && Array.from(term.fold).length >= 2);
      const shards = await Promise.all(shardsFor(meta, term, prefix).map((n) => load(`s/${n}.json`)));
      const best = new Map();
      if (lone) {
        const weights = new Map();
        for (const shard of shards) {
          for (const [key, list] of Object.entries(shard)) {
            if (!key.startsWith(term.fold) || !Array.isArray(list)) continue;
            let page = 0;
            for (let i = 0; i < list.length; i += 2) {
              page += list[i];
              weights.set(page, (weights.get(page) || 0) + list[i + 1]);
            }
          }
        }
        const idf = Math.log(1 + total / Math.max(weights.size, 1));
        for (const [page, w] of weights) best.set(page, { score: (w / (w + 3)) * idf, exactHit: false });
      }
      for (const shard of lone ? [] : shards) {
        for (const [key, entry] of Object.entries(shard)) {
          const full = key === term.fold;
          if (!full && !(prefix && key.startsWith(term.fold))) continue;
          const variants = Array.isArray(entry) ? { [key]: entry } : entry;
          let df = 0;
          for (const list of Object.values(variants)) df += list.length / 2;
          const idf = Math.log(1 + total / df);
          for (const [form, list] of Object.entries(variants)) {
            const exactHit = term.exact !== term.fold && form === term.exact;
            let page = 0;
            for (let i = 0; i < list.length; i += 2) {
              page += list[i];
              const w = list[i + 1];
              const score = (w / (w + 3)) * idf * (full ? 1 : 0.6);
              const old = best.get(page);
              if (!old || score > old.score) best.set(page, { score, exactHit: exactHit || (old ? old.exactHit : false) });
              else if (exactHit) old.exactHit = true;
            }
          }
        }
      }
      for (const [page, hit] of best) {
        const r = byPage.get(page) || { page, matched: 0, exact: 0, score: 0 };
        r.matched += 1;
        r.exact += hit.exactHit ? 1 : 0;
        r.score += hit.score;
        byPage.set(page, r);
      }
    }));
    return Array.from(byPage.values()).sort((a, b) =>
      b.matched - a.matched || b.exact - a.exact || b.score - a.score || a.page - b.page);
  }

  // ---- display ----
  // Ranges of `text` that match a query term, merged.
  function matches(text, terms) {
    const words = terms.filter((t) => !t.cjk).map((t) => t.fold);
    const grams = terms.filter((t) => t.cjk).map((t) => t.fold);
    const ranges = [];
    for (const seg of segments(text)) {
      if (seg.cjk) {
        for (const g of grams) {
          for (let at = seg.text.indexOf(g); at >= 0; at = seg.text.indexOf(g, at + 1)) {
            ranges.push([seg.start + at, seg.start + at + g.length]);
          }
        }
      } else if (words.length) {
        const f = fold(seg.text);
        if (words.some((w) => f === w || (w.length >= 2 && f.startsWith(w)))) ranges.push([seg.start, seg.end]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r);
    }
    return merged;
  }

  // `text` (or the window around its first match) with <mark>ed matches.
  function highlighted(text, terms, window) {
    const ranges = matches(text, terms);
    let from = 0;
    let to = text.length;
    if (window) {
      from = ranges.length ? Math.max(0, ranges[0][0] - EXCERPT_BEFORE) : 0;
      while (from > 0 && WORD.test(text[from - 1])) from--;
      to = Math.min(text.length, from + EXCERPT_LENGTH);
    }
    const fragment = document.createDocumentFragment();
    if (from > 0) fragment.append('… ');
    let at = from;
    for (const [s, e] of ranges) {
      if (e <= from || s >= to) continue;
      const start = Math.max(s, from);
      fragment.append(text.slice(at, start));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(start, Math.min(e, to));
      fragment.append(mark);
      at = Math.min(e, to);
    }
    fragment.append(text.slice(at, to));
    if (to < text.length) fragment.append(' …');
    return fragment;
  }

  const dateFormat = (() => {
    try { return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }); } catch { return null; }
  })();

  function resultItem(meta, page, text, terms) {
    const [path, title, section, date] = meta.pages[page];
    const li = document.createElement('li');
    li.className = 'search-result';
    const h = document.createElement('h2');
    const a = document.createElement('a');
    a.href = new URL(encodeURI(path.slice(1)), siteRoot).href;
    a.append(highlighted(title, terms, false));
    h.append(a);
    const info = document.createElement('p');
    info.className = 'search-result-meta';
    if (section >= 0) {
      const s = document.createElement('span');
      s.className = 'search-result-section';
      s.textContent = meta.sections[section][1];
      info.append(s);
    }
    if (date) {
      const time = document.createElement('time');
      time.dateTime = date;
      time.textContent = dateFormat ? dateFormat.format(new Date(`${date}T00:00:00Z`)) : date;
      info.append(time);
    }
    const excerpt = document.createElement('p');
    excerpt.className = 'search-result-excerpt';
    excerpt.append(highlighted(text || '', terms, true));
    li.append(h, info, excerpt);
    return li;
  }

  // Appends results `from .. from + PAGE_SIZE` of `ranked`, with excerpts.
  async function show(meta, ranked, from, terms) {
    const shown = ranked.slice(from, from + PAGE_SIZE);
    const chunkOf = (r) => Math.floor(r.page / meta.chunk);
    const chunks = await Promise.all(
      [...new Set(shown.map(chunkOf))].map(async (c) => [c, await load(`t/${c}.json`)]));
    const texts = new Map(chunks);
    return shown.map((r) => resultItem(meta, r.page, (texts.get(chunkOf(r)) || [])[r.page % meta.chunk], terms));
  }

  let generation = 0;
  let current = null;
  async function search() {
    const mine = ++generation;
    const query = input.value;
    const terms = queryTerms(query);
    const params = new URLSearchParams(location.search);
    if (query) params.set('q', query); else params.delete('q');
    if (sectionSelect.value) params.set('section', sectionSelect.value); else params.delete('section');
    const qs = params.toString();
    history.replaceState(null, '', qs ? `?${qs}` : location.pathname);
    current = null;
    more.hidden = true;
    if (!terms.length) {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = form.dataset.textLoading;
    try {
      const meta = await load('meta.json');
      const started = performance.now();
      let ranked = await rank(meta, terms, !/\s$/.test(query));
      if (sectionSelect.value) {
        const wanted = meta.sections.findIndex((s) => s[0] === sectionSelect.value);
        ranked = ranked.filter((r) => meta.pages[r.page][2] === wanted);
      }
      const items = await show(meta, ranked, 0, terms);
      if (mine !== generation) return;
      list.replaceChildren(...items);
      current = { meta, ranked, terms, shown: items.length };
      more.hidden = ranked.length <= items.length;
      status.textContent = ranked.length
        ? form.dataset.textResults.replace('{count}', ranked.length.toLocaleString(lang))
        : form.dataset.textNone;
      window.vitrineSearch = { query, ms: performance.now() - started, fetched: fetched.slice(), results: ranked.length };
      list.dataset.query = query;
    } catch (error) {
      if (mine !== generation) return;
      status.textContent = form.dataset.textError;
      list.replaceChildren();
      console.error(error);
    }
  }

  more.addEventListener('click', async () => {
    if (!current) return;
    const mine = generation;
    const state = current;
    const items = await show(state.meta, state.ranked, state.shown, state.terms);
    if (mine !== generation) return;
    list.append(...items);
    state.shown += items.length;
    more.hidden = state.ranked.length <= state.shown;
    // Keyboard and screen-reader users land on the first new result.
    items[0]?.querySelector('a')?.focus();
  });

  let timer = 0;
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 120); });
  sectionSelect.addEventListener('change', search);
  form.addEventListener('submit', (event) => { event.preventDefault(); clearTimeout(timer); search(); });
  // Browsers refuse to fetch files from a page opened from disk (file://,
  // a kiosk or a USB stick): say so instead of offering a search that fails.
  if (location.protocol === 'file:') {
    status.textContent = form.dataset.textOffline;
    return;
  }
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  sectionSelect.value = params.get('section') || '';
  form.hidden = false;
  if (input.value) search();
})();
