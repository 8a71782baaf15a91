// vitrine site search: no framework, no third-party request.
//
// Reads this language's index written by vitrine (crates/search/): meta.json
// (number of pages, sections, first term of each shard) once, then only the
// shards holding the query's terms and, where the language stems, the stem
// shard of each word and the shards of its other forms, then the fragments
// (title, path, excerpt) of the results on screen. Query text is split and
// folded exactly as crates/search/src/normalize.rs does for the index, and stemmed
// by the same Snowball algorithm (search/<lang>/stem.js, loaded only when
// the index has one): keep them in step. When the reader's language has
// few matches, the languages of its fallback chain are searched too, and
// their matches listed apart.
(() => {
  'use strict';
  const form = document.querySelector('.search-form');
  if (!form) return;
  const input = form.querySelector('input[type="search"]');
  const sectionSelect = form.querySelector('select');
  const status = document.querySelector('.search-status');
  const list = document.querySelector('.search-results');
  const more = document.querySelector('.search-more');
  const fallbackBox = document.querySelector('.search-fallbacks');
  const lang = form.dataset.lang;
  let fallbacks = [];
  try { fallbacks = JSON.parse(form.dataset.fallbacks || '[]'); } catch { fallbacks = []; }
  // Results shown at once; excerpts are fetched only for these.
  const PAGE_SIZE = 10;
  const EXCERPT_BEFORE = 60;
  const EXCERPT_LENGTH = 220;
  // How much a match counts: the word as typed, another form of it (same
  // stem), the start of a word being typed.
  const FORM_FACTOR = 0.8;
  const PREFIX_FACTOR = 0.6;

  // ---- normalization (mirror of normalize.rs) ----
  const CJK = /[\u1100-\u11FF\u3040-\u30FF\u3130-\u318F\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
  const WORD = /[\p{L}\p{N}\p{M}]/u;
  const FOLD_MAP = { 'đ': 'd', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'ø': 'o', 'ł': 'l', 'ı': 'i',
    'ٱ': 'ا', 'ى': 'ي', 'ی': 'ي', 'ة': 'ه', 'ک': 'ك', '\u0640': '' };
  const FOLD_CHARS = /[đßæœøłıٱىیةک\u0640]/gu;
  const fold = (w) => w.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
    .replace(FOLD_CHARS, (c) => FOLD_MAP[c]);
  const exact = (w) => w.normalize('NFC').toLowerCase().replace(/\u0640/g, '');
  // A word's stem-table key (mirror of stem.rs): the exact form with ё ë ï
  // as е e i, stemmed, folded.
  const LIGHT = { 'ё': 'е', 'ë': 'e', 'ï': 'i' };
  const stemKey = (stemmer, exactForm) => fold(stemmer(exactForm.replace(/[ёëï]/g, (c) => LIGHT[c])));

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

  // Query terms: words folded (and stemmed, with `stemmer`), CJK runs as
  // bigrams (a lone character as itself).
  function queryTerms(text, stemmer) {
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
        const e = exact(seg.text);
        if (f) terms.push({ exact: e, fold: f, cjk: false, stem: stemmer ? stemKey(stemmer, e) : null });
      }
    }
    const seen = new Set();
    return terms.filter((t) => !seen.has(t.exact) && seen.add(t.exact));
  }

  // ---- loading ----
  // One language's index under `base`: each file fetched once, its
  // stemmer imported once (only when the index says it has one).
  const fetched = [];
  const indexes = new Map();
  function openIndex(base) {
    if (indexes.has(base)) return indexes.get(base);
    const url = new URL(base, location.href);
    const cache = new Map();
    let stemmer = null;
    const ix = {
      siteRoot: new URL('../../', url),
      load(path) {
        if (!cache.has(path)) {
          const file = new URL(path, url);
          fetched.push(file.pathname);
          cache.set(path, fetch(file).then((r) => {
            if (!r.ok) throw new Error(`${r.status} ${file}`);
            return r.json();
          }));
        }
        return cache.get(path);
      },
      // The language's stemmer, or null: a query still finds exact forms
      // if the script cannot be loaded.
      async stemmer(meta) {
        if (!meta.stemmer) return null;
        if (!stemmer) {
          const file = new URL('stem.js', url);
          fetched.push(file.pathname);
          stemmer = import(file.href).then((m) => m.stemmer, (error) => { console.error(error); return null; });
        }
        return stemmer;
      },
    };
    indexes.set(base, ix);
    return ix;
  }
  const home = openIndex(form.dataset.index);
  // Shards read for a word being typed, at most: a short prefix may span
  // many, and the reader sees the full word's results a keystroke later.
  const MAX_PREFIX_SHARDS = 3;

  // The shards that may hold `term`: the last whose first term sorts at or
  // before it (strings compare in UTF-16 order, as the index was sorted),
  // and, when the last word is still being typed, the next ones its prefix
  // spans.
  function shardsFor(firsts, term, prefix) {
    let lo = 0;
    let hi = firsts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (firsts[mid] <= term) { at = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    const out = at >= 0 ? [at] : [];
    for (let i = at + 1; prefix && i < firsts.length && firsts[i].startsWith(term) && out.length <= MAX_PREFIX_SHARDS; i++) {
      out.push(i);
    }
    return out;
  }

  // ---- ranking ----
  // The one shard whose first key sorts at or before `key` (a word's
  // shard, or a stem's in the stem table).
  const shardOf = (firsts, key) => shardsFor(firsts, key, false)[0];

  // The other forms of `term` in the index: the terms that share its stem,
  // from the stem table.
  async function formsOf(ix, meta, term) {
    if (!term.stem || !meta.stems.length) return [];
    const n = shardOf(meta.stems, term.stem);
    if (n === undefined) return [];
    const table = await ix.load(`w/${n}.json`);
    const forms = Object.hasOwn(table, term.stem) ? table[term.stem] : [];
    return forms.filter((f) => f !== term.fold);
  }

  // A term's entry as lists of postings by exact form, with the number of
  // pages it is on. A term on many pages keeps only its heaviest postings
  // in its shard (`"": [term number, pages]`); with `complete` the rest is
  // read from x/<term number>.json, else the lists are `partial`.
  // (`"": [term number, postings, pages]`.)
  async function postingsOf(ix, key, entry, complete) {
    if (Array.isArray(entry)) return { lists: [[key, entry]], df: entry.length / 2, partial: false };
    const lists = Object.entries(entry).filter(([form]) => form !== '');
    const tail = entry[''];
    if (!tail) return { lists, df: lists.reduce((n, [, l]) => n + l.length / 2, 0), partial: false };
    // Postings (for idf, as for other terms) and distinct pages (for the
    // count shown).
    if (!complete) return { lists, df: tail[1], pages: tail[2] ?? tail[1], partial: true };
    const rest = await ix.load(`x/${tail[0]}.json`);
    return { lists: lists.concat(Object.entries(rest)), df: tail[1], partial: false };
  }

  // Each key that matches query term `term`, with how much it counts and
  // its postings (complete, or only the heads of frequent keys).
  async function keysOf(ix, meta, term, prefix, lone, complete) {
    const [shards, forms] = await Promise.all([
      Promise.all(shardsFor(meta.shards, term.fold, prefix).map((n) => ix.load(`s/${n}.json`))),
      formsOf(ix, meta, term),
    ]);
    const keys = new Map();
    for (const shard of shards) {
      if (Object.hasOwn(shard, term.fold)) keys.set(term.fold, [shard[term.fold], 1]);
      if (!prefix) continue;
      for (const [key, entry] of Object.entries(shard)) {
        if (key !== term.fold && key.startsWith(term.fold)) keys.set(key, [entry, lone ? 1 : PREFIX_FACTOR]);
      }
    }
    const formShards = await Promise.all(forms.map((f) => ix.load(`s/${shardOf(meta.shards, f)}.json`)));
    forms.forEach((f, i) => {
      if (Object.hasOwn(formShards[i], f)) keys.set(f, [formShards[i][f], FORM_FACTOR]);
    });
    return Promise.all(Array.from(keys, async ([key, [entry, factor]]) =>
      [key, factor, await postingsOf(ix, key, entry, complete)]));
  }

  // Per query term, each page's best match: weight saturates (title words
  // weigh 10, body words 1) and rare terms count more; a word's other
  // forms and the start of a word being typed count less than the word.
  // Pages matching more query terms come first, then those matching the
  // diacritics typed, then those matching the words as typed (not another
  // form), then by score. A one-word query reads only the heaviest
  // postings of a frequent word unless `complete`: the result says whether
  // it is `partial`, and how many pages match at least (`estimate`).
  async function rank(ix, meta, terms, prefixLast, complete) {
    const read = await Promise.all(terms.map((term, t) => {
      // A lone CJK character is indexed on its own only where a run ends;
      // elsewhere it is in the bigrams it starts, which sort right after
      // it: its weight on a page is theirs added up.
      const lone = term.cjk && Array.from(term.fold).length === 1;
      const prefix = lone || (prefixLast && t === terms.length - 1 && !term.cjk && Array.from(term.fold).length >= 2);
      return keysOf(ix, meta, term, prefix, lone, complete).then((keys) => ({ term, lone, keys }));
    }));
    let partial = false;
    let estimate = 0;
    for (const { keys } of read) {
      for (const [, , p] of keys) {
        partial ||= p.partial;
        if (p.partial) estimate = Math.max(estimate, p.pages);
      }
    }
    const ranked = score(meta.pages, read);
    return { ranked, partial, estimate: Math.max(estimate, ranked.length) };
  }

  // The pages matching the query, scored in arrays indexed by page rather
  // than a map of objects: two words on nearly every one of 50,000 pages
  // are 100,000 postings and more, and a map of objects per word, merged
  // and then sorted whole, took 97 of the 105 ms such a query took once
  // loaded (21 ms with arrays and only the shown results sorted).
  function score(total, read) {
    const s = {
      matched: new Int32Array(total), exact: new Int32Array(total), literal: new Int32Array(total),
      score: new Float64Array(total),
    };
    // One term's best match per page (`best`, with `flags`: 1 seen, 2 the
    // diacritics typed, 4 the word as typed), and the pages it touched.
    const best = new Float64Array(total);
    const flags = new Uint8Array(total);
    const touched = new Int32Array(total);
    const pages = new Int32Array(total);
    let found = 0;
    for (const { term, lone, keys } of read) {
      const n = lone ? lonePages(total, keys, best, flags, touched) : termPages(term, total, keys, best, flags, touched);
      for (let i = 0; i < n; i++) {
        const page = touched[i];
        if (s.matched[page] === 0) pages[found++] = page;
        s.matched[page] += 1;
        s.exact[page] += (flags[page] >> 1) & 1;
        s.literal[page] += (flags[page] >> 2) & 1;
        s.score[page] += best[page];
        flags[page] = 0;
      }
    }
    return new Ranked(pages.slice(0, found), s);
  }

  // A word's best match on each page (see `score`): its number of pages.
  function termPages(term, total, keys, best, flags, touched) {
    let n = 0;
    for (const [key, factor, { lists, df }] of keys) {
      const idf = Math.log(1 + total / df);
      const literal = key === term.fold ? 4 : 0;
      for (const [form, list] of lists) {
        const mark = 1 | literal | (term.exact !== term.fold && form === term.exact ? 2 : 0);
        let page = 0;
        for (let i = 0; i < list.length; i += 2) {
          page += list[i];
          const w = list[i + 1];
          const score = (w / (w + 3)) * idf * factor;
          if (flags[page] === 0) {
            touched[n++] = page;
            best[page] = score;
          } else if (score > best[page]) {
            best[page] = score;
          }
          flags[page] |= mark;
        }
      }
    }
    return n;
  }

  // A lone CJK character's match on each page: the weights of the bigrams
  // it starts, added up (see `score`).
  function lonePages(total, keys, best, flags, touched) {
    let n = 0;
    for (const [, , { lists }] of keys) {
      for (const [, list] of lists) {
        let page = 0;
        for (let i = 0; i < list.length; i += 2) {
          page += list[i];
          if (flags[page] === 0) { touched[n++] = page; best[page] = 0; flags[page] = 1; }
          best[page] += list[i + 1];
        }
      }
    }
    const idf = Math.log(1 + total / Math.max(n, 1));
    for (let i = 0; i < n; i++) {
      const w = best[touched[i]];
      best[touched[i]] = (w / (w + 3)) * idf;
    }
    return n;
  }

  // Matching pages, best first, put in order only as far as they are
  // shown: a reader sees ten at a time, and sorting 50,000 pages to show
  // ten took longer than scoring them.
  class Ranked {
    constructor(pages, s) {
      this.order = pages;
      this.sorted = 0;
      this.s = s;
      const { matched, exact, literal, score } = s;
      this.compare = (a, b) => matched[b] - matched[a] || exact[b] - exact[a] || literal[b] - literal[a]
        || score[b] - score[a] || a - b;
    }

    get length() { return this.order.length; }

    // Pages `from .. to`, in order.
    slice(from, to) {
      this.sortTo(Math.min(to, this.order.length));
      return Array.from(this.order.subarray(from, Math.min(to, this.order.length)));
    }

    filter(keep) {
      return new Ranked(this.order.filter(keep), this.s);
    }

    // Puts the best `to` pages first, in order: the next few by one pass
    // that keeps a short sorted list; a long stretch by sorting the rest.
    sortTo(to) {
      if (to <= this.sorted) return;
      const rest = this.order.subarray(this.sorted);
      const k = Math.min(rest.length, Math.max(to - this.sorted, 2 * this.sorted, 4 * PAGE_SIZE));
      if (k * 8 >= rest.length) {
        rest.sort(this.compare);
        this.sorted = this.order.length;
        return;
      }
      const top = [];
      for (const page of rest) {
        if (top.length === k && this.compare(page, top[k - 1]) >= 0) continue;
        let lo = 0;
        let hi = top.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (this.compare(top[mid], page) < 0) lo = mid + 1; else hi = mid;
        }
        top.splice(lo, 0, page);
        if (top.length > k) top.pop();
      }
      const chosen = new Set(top);
      const others = rest.filter((page) => !chosen.has(page));
      rest.set(top);
      rest.set(others, k);
      this.sorted += k;
    }
  }

  // Each page's section, from the runs meta.json lists them in.
  function sectionsOf(meta) {
    if (!meta.pageSections) {
      const out = new Int32Array(meta.pages);
      let at = 0;
      for (const [section, count] of meta.section_runs) { out.fill(section, at, at + count); at += count; }
      meta.pageSections = out;
    }
    return meta.pageSections;
  }

  // ---- display ----
  // Ranges of `text` that match a query term, merged.
  function matches(text, terms) {
    const words = terms.filter((t) => !t.cjk).map((t) => t.fold);
    const grams = terms.filter((t) => t.cjk).map((t) => t.fold);
    const stems = new Set(terms.filter((t) => t.stem).map((t) => t.stem));
    const sameStem = (word) => stems.size > 0 && terms.stemmer && stems.has(stemKey(terms.stemmer, exact(word)));
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
        if (words.some((w) => f === w || (w.length >= 2 && f.startsWith(w))) || sameStem(seg.text)) ranges.push([seg.start, seg.end]);
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

  // One result: `fragment` is the page's entry in p/<n>.json; `other` the
  // language of a fallback result (its link says so).
  function resultItem(ix, meta, fragment, terms, other) {
    const [path, title, section, date, text] = fragment;
    const li = document.createElement('li');
    li.className = 'search-result';
    const h = document.createElement('h2');
    const a = document.createElement('a');
    a.href = new URL(encodeURI(path.slice(1)), ix.siteRoot).href;
    if (other) {
      a.hreflang = other.lang;
      a.lang = other.lang;
      a.dir = other.dir;
    }
    a.append(highlighted(title, terms, false));
    h.append(a);
    const info = document.createElement('p');
    info.className = 'search-result-meta';
    if (section >= 0) {
      const s = document.createElement('span');
      s.className = 'search-result-section';
      s.textContent = meta.sections[section][1];
      if (other) s.lang = other.lang;
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
    if (other) { excerpt.lang = other.lang; excerpt.dir = other.dir; }
    excerpt.append(highlighted(text || '', terms, true));
    li.append(h, info, excerpt);
    return li;
  }

  // The fragments of results `from .. from + count` of `ranked`.
  async function fragments(ix, meta, ranked, from, count) {
    const shown = ranked.slice(from, from + count);
    const chunkOf = (page) => Math.floor(page / meta.chunk);
    const chunks = new Map(await Promise.all(
      [...new Set(shown.map(chunkOf))].map(async (c) => [c, await ix.load(`p/${c}.json`)])));
    return shown.map((page) => (chunks.get(chunkOf(page)) || [])[page % meta.chunk]).filter(Boolean);
  }

  // Appends results `from .. from + PAGE_SIZE` of `ranked`, with excerpts.
  async function show(state, from) {
    const found = await fragments(state.ix, state.meta, state.ranked, from, PAGE_SIZE);
    for (const f of found) state.groups.add(f[5]);
    return found.map((f) => resultItem(state.ix, state.meta, f, state.terms, null));
  }

  // A language's matches for `query`, best first (the section filter
  // applied), with the terms as that language stems them.
  // With `complete`, every posting of frequent words is read (several
  // words, a section filter, or more results than their heads hold).
  async function search1(ix, query, section, complete) {
    const meta = await ix.load('meta.json');
    const stemmer = await ix.stemmer(meta);
    const terms = queryTerms(query, stemmer);
    terms.stemmer = stemmer;
    const all = complete || terms.length > 1 || Boolean(section);
    let { ranked, partial, estimate } = await rank(ix, meta, terms, !/\s$/.test(query), all);
    if (section) {
      const wanted = meta.sections.findIndex((s) => s[0] === section);
      const sections = sectionsOf(meta);
      ranked = ranked.filter((page) => sections[page] === wanted);
      estimate = ranked.length;
    }
    return { ix, meta, terms, ranked, partial, count: estimate, query, section };
  }

  // The matches of the fallback chain's languages, each list apart: pages
  // that have their own text in the reader's language, or already shown
  // in another language, are left out.
  async function fallbackLists(query, section, groups) {
    const lists = [];
    for (const other of fallbacks) {
      // A language whose index cannot be read is left out, not the
      // reader's own results.
      const state = await search1(openIndex(other.index), query, section, false).catch((error) => {
        console.warn(error);
        return null;
      });
      if (!state) continue;
      const items = [];
      // The best few, in as many batches as pages left out need.
      for (let from = 0; items.length < PAGE_SIZE && from < state.ranked.length && from < 5 * PAGE_SIZE; from += PAGE_SIZE) {
        for (const f of await fragments(state.ix, state.meta, state.ranked, from, PAGE_SIZE)) {
          if (items.length >= PAGE_SIZE || groups.has(f[5]) || f[6].includes(lang)) continue;
          groups.add(f[5]);
          items.push(resultItem(state.ix, state.meta, f, state.terms, other));
        }
      }
      if (items.length) lists.push({ other, items });
    }
    return lists;
  }

  // Shows the fallback lists (or hides their box): a heading per language,
  // in that language.
  function showFallbacks(lists) {
    if (!fallbackBox) return;
    fallbackBox.querySelectorAll('.search-fallback').forEach((e) => e.remove());
    for (const { other, items } of lists) {
      const part = document.createElement('section');
      part.className = 'search-fallback';
      const h = document.createElement('h3');
      h.lang = other.lang;
      h.dir = other.dir;
      h.textContent = other.name;
      const ol = document.createElement('ol');
      ol.className = 'search-results';
      ol.setAttribute('role', 'list');
      ol.dataset.lang = other.lang;
      ol.append(...items);
      part.append(h, ol);
      fallbackBox.append(part);
    }
    fallbackBox.hidden = lists.length === 0;
  }

  let generation = 0;
  let current = null;
  async function search() {
    const mine = ++generation;
    const query = input.value;
    const params = new URLSearchParams(location.search);
    if (query) params.set('q', query); else params.delete('q');
    if (sectionSelect.value) params.set('section', sectionSelect.value); else params.delete('section');
    const qs = params.toString();
    history.replaceState(null, '', qs ? `?${qs}` : location.pathname);
    current = null;
    more.hidden = true;
    if (!queryTerms(query, null).length) {
      list.replaceChildren();
      showFallbacks([]);
      status.textContent = '';
      return;
    }
    status.textContent = form.dataset.textLoading;
    try {
      const started = performance.now();
      const state = { ...(await search1(home, query, sectionSelect.value, false)), groups: new Set() };
      const ranked = performance.now();
      const items = await show(state, 0);
      state.shown = items.length;
      // Few matches in the reader's language: the fallback chain's too.
      const lists = state.count < PAGE_SIZE && fallbacks.length
        ? await fallbackLists(query, sectionSelect.value, state.groups) : [];
      if (mine !== generation) return;
      list.replaceChildren(...items);
      showFallbacks(lists);
      current = state;
      more.hidden = !state.partial && state.ranked.length <= items.length;
      status.textContent = state.ranked.length
        ? form.dataset.textResults.replace('{count}', state.count.toLocaleString(lang))
        : form.dataset.textNone;
      window.vitrineSearch = {
        query, ms: performance.now() - started, rankMs: ranked - started, fetched: fetched.slice(), results: state.count,
        fallbacks: lists.map((l) => [l.other.lang, l.items.length]),
      };
      list.dataset.query = query;
    } catch (error) {
      if (mine !== generation) return;
      status.textContent = form.dataset.textError;
      list.replaceChildren();
      showFallbacks([]);
      console.error(error);
    }
  }

  more.addEventListener('click', async () => {
    if (!current) return;
    const mine = generation;
    let state = current;
    if (state.partial && state.shown + PAGE_SIZE > state.ranked.length) {
      // Past the heads of frequent words: every posting, ranked again.
      const whole = await search1(state.ix, state.query, state.section, true);
      state = Object.assign(state, { ranked: whole.ranked, partial: false, count: whole.count });
    }
    const items = await show(state, state.shown);
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
