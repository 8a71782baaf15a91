#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# A copy of the project's shared benchmark corpus generator (bench/corpus.sh uses the
# shared one), kept here so the browser checks can build the corpus in CI.
"""Deterministic multilingual benchmark corpus generator.

Writes the SAME logical site (sections, articles, translations, taxonomies,
UI strings) as a Hugo site, a Zola site or a "vitrine" site, so that static
site generators can be compared on equal content.

    gen_corpus.py --articles 1000 --layout hugo --out c-hugo
    gen_corpus.py --articles 1000 --layout zola --out c-zola --seed 7
    gen_corpus.py --articles 1000 --layout vitrine --out c-vitrine --langs vi,en

Only the standard library is used. Output for a given (articles, langs,
seed, layout, term-paginate) is byte-for-byte identical from run to run.
"""
import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_data import (AR_DIGRAPHS, AR_LETTERS, LANG_META, LANG_ORDER,  # noqa: E402
                         PROVINCES, SECTION_WEIGHTS, SECTIONS, TAG_COL, TAGS, UI,
                         WORDS)

BASE_URL = "https://portal.example.org"
PAGINATE = 10
FEED_LIMIT = 20

# How many "words" of a shared word budget each language spends; balances the
# UTF-8 size of the bodies (Arabic words are long in bytes, Chinese have no
# spaces but 3 bytes per character).
LANG_WORD_FACTOR = {"vi": 1.0, "en": 0.85, "fr": 0.8, "zh": 0.95, "ar": 0.55}


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def q(s):
    """A double-quoted string valid in YAML and in TOML (basic string)."""
    return json.dumps(s, ensure_ascii=False)


def qlist(items):
    return "[" + ", ".join(q(x) for x in items) + "]"


def fold(s):
    """Strip diacritics (Vietnamese đ/Đ included)."""
    s = s.replace("đ", "d").replace("Đ", "D")
    nfd = unicodedata.normalize("NFD", s)
    return "".join(c for c in nfd if unicodedata.category(c) != "Mn")


def to_arabic(latin):
    out = []
    for word in fold(latin).lower().replace("–", " ").split():
        i, w = 0, []
        while i < len(word):
            for dg, ar in AR_DIGRAPHS:
                if word.startswith(dg, i):
                    w.append(ar)
                    i += len(dg)
                    break
            else:
                w.append(AR_LETTERS.get(word[i], ""))
                i += 1
        out.append("".join(w))
    return " ".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def words_of(lang):
    return WORDS[lang].split()


_WORDS = {lang: words_of(lang) for lang in LANG_ORDER}
_EN_ASCII = [w for w in _WORDS["en"] if w.isascii()]


def tag_name(t, lang):
    return TAGS[t][TAG_COL[lang]]


def region_name(r, lang):
    vi, zh = PROVINCES[r]
    if lang == "vi":
        return vi
    if lang == "zh":
        return zh
    if lang == "ar":
        return "محافظة " + to_arabic(vi)
    return fold(vi).replace(" – ", "-")


# --------------------------------------------------------------------------
# text realisation
# --------------------------------------------------------------------------

def join_words(lang, ws):
    return ("" if lang == "zh" else " ").join(ws)


def cap(lang, s):
    if lang in ("zh", "ar") or not s:
        return s
    return s[0].upper() + s[1:]


def sentence(rng, lang, n):
    ws = [rng.choice(_WORDS[lang]) for _ in range(max(1, n))]
    if n >= 8:  # one comma in longer sentences
        k = rng.randint(3, n - 3)
        ws[k] = ws[k] + {"zh": "，", "ar": "،"}.get(lang, ",")
    end = "。" if lang == "zh" else "."
    return cap(lang, join_words(lang, ws)) + end


def paragraph(rng, lang, n):
    """About n words, split into sentences of 7..16 words."""
    out, left = [], n
    while left > 0:
        k = min(left, rng.randint(7, 16))
        if 0 < left - k < 5:
            k = left
        out.append(sentence(rng, lang, k))
        left -= k
    return join_words(lang, out)


def phrase(rng, lang, n):
    return join_words(lang, [rng.choice(_WORDS[lang]) for _ in range(max(1, n))])


def scaled(n, lang):
    return max(1, int(round(n * LANG_WORD_FACTOR[lang])))


# --------------------------------------------------------------------------
# the logical site
# --------------------------------------------------------------------------

class Article:
    __slots__ = ("i", "section", "slug", "date", "tags", "regions", "link_to",
                 "title_len", "summary_len", "skeleton")


def make_articles(n, seed):
    arts = []
    start = dt.datetime(2016, 1, 1, 0, 0)
    span_min = 10 * 365 * 24 * 60
    for i in range(n):
        r = random.Random(f"{seed}:article:{i}")
        a = Article()
        a.i = i
        a.section = r.choices(SECTIONS, weights=SECTION_WEIGHTS)[0]
        a.slug = "-".join(r.choice(_EN_ASCII) for _ in range(3)).replace(" ", "-") + f"-{i:05d}"
        a.date = start + dt.timedelta(minutes=r.randrange(span_min))
        a.tags = r.sample(range(len(TAGS)), r.randint(3, 5))
        a.regions = r.sample(range(len(PROVINCES)), r.choice((1, 1, 2)))
        a.link_to = (i + 1 + r.randrange(max(1, n - 1))) % n if n > 1 else i
        a.title_len = r.randint(5, 9)
        a.summary_len = r.randint(14, 24)
        a.skeleton = make_skeleton(r)
        arts.append(a)
    return arts


def make_skeleton(r):
    """Language independent structure of a body: block kinds and word counts."""
    budget = r.randint(265, 460)
    sk = [("intro", r.randint(40, 60)),
          ("h2", r.randint(3, 6)),
          ("p", r.randint(40, 70)),
          ("plink", r.randint(30, 50)),
          ("ul", [r.randint(5, 10) for _ in range(r.randint(3, 5))]),
          ("h2", r.randint(3, 6)),
          ("p", r.randint(35, 60)),
          ("quote", r.randint(15, 30)),
          ("table", [[r.randint(1, 2) for _ in range(3)] for _ in range(4)])]
    if r.random() < 0.5:
        sk.append(("h3", r.randint(3, 5)))
    used = 0
    for kind, v in sk:
        used += sum(sum(row) for row in v) if kind == "table" else (sum(v) if kind == "ul" else v)
    while used < budget:
        k = r.randint(40, 80)
        sk.append(("p", k))
        used += k
    return sk


def title_of(a, lang, seed):
    r = random.Random(f"{seed}:title:{a.i}:{lang}")
    return cap(lang, phrase(r, lang, a.title_len))


def summary_of(a, lang, seed):
    r = random.Random(f"{seed}:summary:{a.i}:{lang}")
    return sentence(r, lang, a.summary_len)


def body_of(a, lang, seed, link_url, link_title):
    r = random.Random(f"{seed}:body:{a.i}:{lang}")
    out = []
    for kind, v in a.skeleton:
        if kind == "intro":
            p = paragraph(r, lang, scaled(v, lang))
            em, strong = phrase(r, lang, 2), phrase(r, lang, 1)
            sp = "" if lang == "zh" else " "
            out.append(f"**{strong}**{sp}{p}{sp}*{em}*{'。' if lang == 'zh' else '.'}")
        elif kind == "h2":
            out.append("## " + cap(lang, phrase(r, lang, v)))
        elif kind == "h3":
            out.append("### " + cap(lang, phrase(r, lang, v)))
        elif kind == "p":
            out.append(paragraph(r, lang, scaled(v, lang)))
        elif kind == "plink":
            p1 = paragraph(r, lang, scaled(v // 2, lang))
            p2 = paragraph(r, lang, scaled(v - v // 2, lang))
            sp = "" if lang == "zh" else " "
            out.append(f"{p1}{sp}[{link_title}]({link_url}){sp}{p2}")
        elif kind == "ul":
            out.append("\n".join("- " + cap(lang, phrase(r, lang, scaled(n, lang))) for n in v))
        elif kind == "quote":
            out.append("> " + paragraph(r, lang, scaled(v, lang)))
        elif kind == "table":
            rows = []
            for ri, row in enumerate(v):
                cells = [cap(lang, phrase(r, lang, n)) if (ri == 0 or ci == 0)
                         else str(r.randint(1, 99999)) for ci, n in enumerate(row)]
                rows.append("| " + " | ".join(cells) + " |")
                if ri == 0:
                    rows.append("| --- | ---: | ---: |")
            out.append("\n".join(rows))
    return "\n\n".join(out) + "\n"


def section_intro(sec, lang, seed):
    r = random.Random(f"{seed}:section:{sec}:{lang}")
    return paragraph(r, lang, scaled(40, lang)) + "\n"


# --------------------------------------------------------------------------
# layouts: how files are named, how links are written, front matter
# --------------------------------------------------------------------------

class Layout:
    name = "?"

    def __init__(self, out, langs, default_lang, term_paginate):
        self.out, self.langs, self.default = out, langs, default_lang
        self.term_paginate = term_paginate

    def is_default(self, lang):
        return lang == self.default


class HugoLayout(Layout):
    name = "hugo"

    def page_path(self, a, lang):
        return os.path.join(self.out, "content", a.section, f"{a.slug}.{lang}.md")

    def link(self, target, lang):
        return '{{< relref "/%s/%s" >}}' % (target.section, target.slug)

    def page(self, a, lang, title, summary, body):
        fm = ["---", f"title: {q(title)}", f"date: {a.date.strftime('%Y-%m-%dT%H:%M:00+07:00')}",
              f"summary: {q(summary)}",
              f"tags: {qlist(tag_name(t, lang) for t in a.tags)}",
              f"regions: {qlist(region_name(x, lang) for x in a.regions)}", "---", ""]
        write(self.page_path(a, lang), "\n".join(fm) + body)

    def section(self, sec, lang, title, weight, intro):
        write(os.path.join(self.out, "content", sec, f"_index.{lang}.md"),
              f"---\ntitle: {q(title)}\nweight: {weight}\n---\n{intro}")

    def home(self, lang, title, intro):
        write(os.path.join(self.out, "content", f"_index.{lang}.md"),
              f"---\ntitle: {q(title)}\n---\n{intro}\n")

    def site(self):
        L = []
        L.append(f'baseURL = "{BASE_URL}/"')
        L.append(f"title = {q(LANG_META[self.default]['site_title'])}")
        L.append(f'defaultContentLanguage = "{self.default}"')
        L.append("defaultContentLanguageInSubdir = false")
        L.append(f"paginate = {PAGINATE}")
        L.append('paginatePath = "page"')
        L.append(f"rssLimit = {FEED_LIMIT}")
        L.append("enableRobotsTXT = false")
        L.append("disableHugoGeneratorInject = true")
        L.append("")
        L.append("[params]")
        L.append(f"sections = {qlist(SECTIONS)}")
        L.append(f"term_paginate = {self.term_paginate}")
        L.append("")
        L.append("[taxonomies]\ntag = \"tags\"\nregion = \"regions\"\n")
        L.append("[outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\"]\n"
                 "taxonomy = [\"HTML\"]\nterm = [\"HTML\"]\npage = [\"HTML\"]\n")
        for w, lang in enumerate(self.langs, 1):
            m = LANG_META[lang]
            L.append(f"[languages.{lang}]")
            L.append(f"languageName = {q(m['name'])}")
            L.append(f"title = {q(m['site_title'])}")
            L.append(f"weight = {w}")
            L.append("")
        write(os.path.join(self.out, "config.toml"), "\n".join(L))
        for lang in self.langs:
            s = []
            for key, tr in UI.items():
                v = tr[lang].replace("{current}", "{{ .current }}").replace("{total}", "{{ .total }}")
                s.append(f"[{q(key)}]\nother = {q(v)}\n")
            for sec in SECTIONS:
                s.append(f"[{q('section-' + sec)}]\nother = {q(LANG_META[lang]['sections'][sec])}\n")
            write(os.path.join(self.out, "i18n", f"{lang}.toml"), "\n".join(s))
        for rel, text in HUGO_TEMPLATES.items():
            write(os.path.join(self.out, "layouts", rel), text.lstrip("\n"))


class ZolaLayout(Layout):
    name = "zola"

    def suffix(self, lang):
        return "" if self.is_default(lang) else f".{lang}"

    def page_path(self, a, lang):
        return os.path.join(self.out, "content", a.section, f"{a.slug}{self.suffix(lang)}.md")

    def link(self, target, lang):
        return f"@/{target.section}/{target.slug}{self.suffix(lang)}.md"

    def page(self, a, lang, title, summary, body):
        fm = ["+++", f"title = {q(title)}", f"date = {a.date.strftime('%Y-%m-%dT%H:%M:00+07:00')}",
              f"description = {q(summary)}", "", "[taxonomies]",
              f"tags = {qlist(tag_name(t, lang) for t in a.tags)}",
              f"regions = {qlist(region_name(x, lang) for x in a.regions)}", "+++", ""]
        write(self.page_path(a, lang), "\n".join(fm) + body)

    def section(self, sec, lang, title, weight, intro):
        write(os.path.join(self.out, "content", sec, f"_index{self.suffix(lang)}.md"),
              f"+++\ntitle = {q(title)}\nweight = {weight}\nsort_by = \"date\"\n"
              f"paginate_by = {PAGINATE}\ntransparent = true\n+++\n{intro}")

    def home(self, lang, title, intro):
        write(os.path.join(self.out, "content", f"_index{self.suffix(lang)}.md"),
              f"+++\ntitle = {q(title)}\nsort_by = \"date\"\n+++\n{intro}\n")

    def taxonomies(self):
        pb = f", paginate_by = {self.term_paginate}" if self.term_paginate else ""
        return f'[{{name = "tags"{pb}}}, {{name = "regions"{pb}}}]'

    def translations(self, lang):
        s = []
        for key, tr in UI.items():
            s.append(f"{q(key)} = {q(tr[lang].replace('{', '%').replace('}', '%'))}")
        for sec in SECTIONS:
            s.append(f"{q('section-' + sec)} = {q(LANG_META[lang]['sections'][sec])}")
        s.append(f"\"language-name\" = {q(LANG_META[lang]['name'])}")
        return "\n".join(s)

    def site(self):
        m = LANG_META[self.default]
        L = [f'base_url = "{BASE_URL}"', f"title = {q(m['site_title'])}",
             f'default_language = "{self.default}"', "generate_feeds = true",
             'feed_filenames = ["atom.xml"]', f"feed_limit = {FEED_LIMIT}",
             "generate_sitemap = true", "generate_robots_txt = false", "compile_sass = false",
             "build_search_index = false", f"taxonomies = {self.taxonomies()}", "",
             "[markdown]", "", "[extra]", f"sections = {qlist(SECTIONS)}",
             f"languages = {qlist(self.langs)}", "",
             "[translations]", self.translations(self.default), ""]
        for lang in self.langs:
            if self.is_default(lang):
                continue
            L += [f"[languages.{lang}]", f"title = {q(LANG_META[lang]['site_title'])}",
                  "generate_feeds = true", f"taxonomies = {self.taxonomies()}", "",
                  f"[languages.{lang}.translations]", self.translations(lang), ""]
        write(os.path.join(self.out, "zola.toml"), "\n".join(L))
        for rel, text in ZOLA_TEMPLATES.items():
            write(os.path.join(self.out, "templates", rel), text.lstrip("\n"))


class VitrineLayout(Layout):
    name = "vitrine"

    def page_path(self, a, lang):
        return os.path.join(self.out, "content", a.section, f"{a.slug}.{lang}.md")

    def link(self, target, lang):
        return f"@/{target.section}/{target.slug}.{lang}.md"

    def page(self, a, lang, title, summary, body):
        fm = ["---", f"title: {q(title)}", f"date: {a.date.strftime('%Y-%m-%dT%H:%M:00+07:00')}",
              f"summary: {q(summary)}",
              f"tags: {qlist(tag_name(t, lang) for t in a.tags)}",
              f"regions: {qlist(region_name(x, lang) for x in a.regions)}", "---", ""]
        write(self.page_path(a, lang), "\n".join(fm) + body)

    def section(self, sec, lang, title, weight, intro):
        write(os.path.join(self.out, "content", sec, f"_index.{lang}.md"),
              f"---\ntitle: {q(title)}\nweight: {weight}\nsort_by: date\n"
              f"paginate_by: {PAGINATE}\n---\n{intro}")

    def home(self, lang, title, intro):
        write(os.path.join(self.out, "content", f"_index.{lang}.md"),
              f"---\ntitle: {q(title)}\n---\n{intro}\n")

    def site(self):
        m = LANG_META[self.default]
        L = [f"title: {q(m['site_title'])}", f"base_url: {q(BASE_URL)}",
             f"default_language: {self.default}", "languages:"]
        for lang in self.langs:
            lm = LANG_META[lang]
            L += [f"  - code: {lang}", f"    name: {q(lm['name'])}",
                  f"    title: {q(lm['site_title'])}", f"    dir: {lm['dir']}"]
        L += [f"sections: {qlist(SECTIONS)}", "taxonomies:",
              f"  - name: tags", f"    paginate_by: {self.term_paginate}",
              f"  - name: regions", f"    paginate_by: {self.term_paginate}",
              f"paginate_by: {PAGINATE}", "feed:", "  format: atom", f"  limit: {FEED_LIMIT}",
              "sitemap: true", "theme: default", ""]
        write(os.path.join(self.out, "site.yaml"), "\n".join(L))
        for lang in self.langs:
            s = [f"## UI strings for {lang} (generated)", ""]
            for key, tr in UI.items():
                s.append(f"{key} = {tr[lang].replace('{current}', '{ $current }').replace('{total}', '{ $total }')}")
            for sec in SECTIONS:
                s.append(f"section-{sec} = {LANG_META[lang]['sections'][sec]}")
            s.append(f"language-name = {LANG_META[lang]['name']}")
            write(os.path.join(self.out, "locales", lang, "main.ftl"), "\n".join(s) + "\n")
        for rel, text in VITRINE_TEMPLATES.items():
            write(os.path.join(self.out, "themes", "default", "templates", rel), text.lstrip("\n"))


LAYOUTS = {"hugo": HugoLayout, "zola": ZolaLayout, "vitrine": VitrineLayout}


# --------------------------------------------------------------------------
# themes
# --------------------------------------------------------------------------

HUGO_TEMPLATES = {
    "_default/baseof.html": r'''
<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}" dir="{{ if eq site.Language.Lang "ar" }}rtl{{ else }}ltr{{ end }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ site.Title }}</title>
{{- range .AllTranslations }}
<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{- end }}
<link rel="alternate" type="application/rss+xml" title="{{ i18n "feed" }}" href="{{ site.Home.Permalink }}index.xml">
</head>
<body>
<header>
<a class="brand" href="{{ site.Home.Permalink }}">{{ site.Title }}</a>
<nav class="sections" aria-label="{{ i18n "sections" }}">
<a href="{{ site.Home.Permalink }}">{{ i18n "home" }}</a>
{{- range site.Params.sections }}
<a href="{{ printf "%s/" . | absLangURL }}">{{ i18n (printf "section-%s" .) }}</a>
{{- end }}
<a href="{{ "tags/" | absLangURL }}">{{ i18n "tags" }}</a>
<a href="{{ "regions/" | absLangURL }}">{{ i18n "regions" }}</a>
</nav>
<nav class="languages" aria-label="{{ i18n "languages" }}">
{{- range .Translations }}
<a hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ .Language.LanguageName }}</a>
{{- end }}
</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>{{ i18n "footer" }}</footer>
</body>
</html>
''',
    "partials/item.html": r'''
<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time><p>{{ .Params.summary }}</p></li>
''',
    "partials/pager.html": r'''
<nav class="pager">
{{- with .Prev }}<a rel="prev" href="{{ .URL | absURL }}">{{ i18n "prev" }}</a>{{ end }}
<span>{{ i18n "page-of" (dict "current" .PageNumber "total" .TotalPages) }}</span>
{{- with .Next }}<a rel="next" href="{{ .URL | absURL }}">{{ i18n "next" }}</a>{{ end }}
</nav>
''',
    "_default/single.html": r'''
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta">{{ i18n "published" }} <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2006-01-02" }}</time></p>
<p class="summary">{{ .Params.summary }}</p>
<div class="content">
{{ .Content }}
</div>
<p class="tags">{{ i18n "tags" }}:{{ range .GetTerms "tags" }} <a href="{{ .Permalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
<p class="regions">{{ i18n "regions" }}:{{ range .GetTerms "regions" }} <a href="{{ .Permalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
</article>
{{ end }}
''',
    "_default/list.html": r'''
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pag := .Paginate .Pages.ByDate.Reverse }}
<ul class="articles">
{{- range $pag.Pages }}
{{ partial "item.html" . }}
{{- end }}
</ul>
{{ partial "pager.html" $pag }}
{{ end }}
''',
    "index.html": r'''
{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ .Content }}
<h2>{{ i18n "latest" }}</h2>
<ul class="articles">
{{- range first 10 site.RegularPages.ByDate.Reverse }}
{{ partial "item.html" . }}
{{- end }}
</ul>
{{ end }}
''',
    "_default/terms.html": r'''
{{ define "main" }}
<h1>{{ i18n .Data.Plural }}</h1>
<ul class="terms">
{{- range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{- end }}
</ul>
{{ end }}
''',
    "_default/term.html": r'''
{{ define "main" }}
<h1>{{ i18n .Data.Plural }}: {{ .Title }}</h1>
{{- if gt site.Params.term_paginate 0 }}
{{ $pag := .Paginate .Pages.ByDate.Reverse site.Params.term_paginate }}
<ul class="articles">
{{- range $pag.Pages }}
{{ partial "item.html" . }}
{{- end }}
</ul>
{{ partial "pager.html" $pag }}
{{- else }}
<ul class="articles">
{{- range .Pages.ByDate.Reverse }}
{{ partial "item.html" . }}
{{- end }}
</ul>
{{- end }}
{{ end }}
''',
}

ZOLA_TEMPLATES = {
    "base.html": r'''
{%- if lang == config.default_language %}{% set prefix = "" %}{% else %}{% set prefix = "/" ~ lang %}{% endif -%}
<!DOCTYPE html>
<html lang="{{ lang }}" dir="{% if lang == "ar" %}rtl{% else %}ltr{% endif %}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
{%- block alternates %}{% endblock alternates %}
<link rel="alternate" type="application/atom+xml" title="{{ trans(key="feed", lang=lang) }}" href="{{ config.base_url | safe }}{{ prefix }}/atom.xml">
</head>
<body>
<header>
<a class="brand" href="{{ config.base_url | safe }}{{ prefix }}/">{{ config.title }}</a>
<nav class="sections" aria-label="{{ trans(key="sections", lang=lang) }}">
<a href="{{ config.base_url | safe }}{{ prefix }}/">{{ trans(key="home", lang=lang) }}</a>
{%- for s in config.extra.sections %}
<a href="{{ get_url(path="@/" ~ s ~ "/_index.md", lang=lang) | safe }}">{{ trans(key="section-" ~ s, lang=lang) }}</a>
{%- endfor %}
<a href="{{ config.base_url | safe }}{{ prefix }}/tags/">{{ trans(key="tags", lang=lang) }}</a>
<a href="{{ config.base_url | safe }}{{ prefix }}/regions/">{{ trans(key="regions", lang=lang) }}</a>
</nav>
<nav class="languages" aria-label="{{ trans(key="languages", lang=lang) }}">
{%- block languages %}{% endblock languages %}
</nav>
</header>
<main>
{% block content %}{% endblock content %}
</main>
<footer>{{ trans(key="footer", lang=lang) }}</footer>
</body>
</html>
''',
    "macros.html": r'''
{% macro alternates(translations) %}
{%- for t in translations %}
<link rel="alternate" hreflang="{{ t.lang }}" href="{{ t.permalink | safe }}">
{%- endfor %}
{% endmacro alternates %}

{% macro languages(translations, lang) %}
{%- for t in translations %}{% if t.lang != lang %}
<a hreflang="{{ t.lang }}" lang="{{ t.lang }}" href="{{ t.permalink | safe }}">{{ trans(key="language-name", lang=t.lang) }}</a>
{%- endif %}{% endfor %}
{% endmacro languages %}

{% macro item(p) %}
<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time datetime="{{ p.date | date(format="%Y-%m-%d") }}">{{ p.date | date(format="%Y-%m-%d") }}</time><p>{{ p.description }}</p></li>
{% endmacro item %}

{% macro pager(paginator, lang) %}
<nav class="pager">
{%- if paginator.previous %}<a rel="prev" href="{{ paginator.previous | safe }}">{{ trans(key="prev", lang=lang) }}</a>{% endif %}
<span>{{ trans(key="page-of", lang=lang) | replace(from="%current%", to=paginator.current_index ~ "") | replace(from="%total%", to=paginator.number_pagers ~ "") }}</span>
{%- if paginator.next %}<a rel="next" href="{{ paginator.next | safe }}">{{ trans(key="next", lang=lang) }}</a>{% endif %}
</nav>
{% endmacro pager %}
''',
    "page.html": r'''
{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block alternates %}{{ m::alternates(translations=page.translations) }}{% endblock alternates %}
{% block languages %}{{ m::languages(translations=page.translations, lang=lang) }}{% endblock languages %}
{% block content %}
<article>
<h1>{{ page.title }}</h1>
<p class="meta">{{ trans(key="published", lang=lang) }} <time datetime="{{ page.date }}">{{ page.date | date(format="%Y-%m-%d") }}</time></p>
<p class="summary">{{ page.description }}</p>
<div class="content">
{{ page.content | safe }}
</div>
<p class="tags">{{ trans(key="tags", lang=lang) }}:{% for t in page.taxonomies.tags %} <a href="{{ get_taxonomy_url(kind="tags", name=t, lang=lang) | safe }}">{{ t }}</a>{% endfor %}</p>
<p class="regions">{{ trans(key="regions", lang=lang) }}:{% for t in page.taxonomies.regions %} <a href="{{ get_taxonomy_url(kind="regions", name=t, lang=lang) | safe }}">{{ t }}</a>{% endfor %}</p>
</article>
{% endblock content %}
''',
    "section.html": r'''
{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock title %}
{% block alternates %}{{ m::alternates(translations=section.translations) }}{% endblock alternates %}
{% block languages %}{{ m::languages(translations=section.translations, lang=lang) }}{% endblock languages %}
{% block content %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul class="articles">
{%- for p in paginator.pages %}
{{ m::item(p=p) }}
{%- endfor %}
</ul>
{{ m::pager(paginator=paginator, lang=lang) }}
{% endblock content %}
''',
    "index.html": r'''
{% extends "base.html" %}
{% import "macros.html" as m %}
{% block alternates %}{{ m::alternates(translations=section.translations) }}{% endblock alternates %}
{% block languages %}{{ m::languages(translations=section.translations, lang=lang) }}{% endblock languages %}
{% block content %}
<h1>{{ config.title }}</h1>
{{ section.content | safe }}
<h2>{{ trans(key="latest", lang=lang) }}</h2>
<ul class="articles">
{%- for p in section.pages | slice(end=10) %}
{{ m::item(p=p) }}
{%- endfor %}
</ul>
{% endblock content %}
''',
    "taxonomy_list.html": r'''
{% extends "base.html" %}
{% block title %}{{ trans(key=taxonomy.name, lang=lang) }} | {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ trans(key=taxonomy.name, lang=lang) }}</h1>
<ul class="terms">
{%- for term in terms %}
<li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> ({{ term.page_count }})</li>
{%- endfor %}
</ul>
{% endblock content %}
''',
    "taxonomy_single.html": r'''
{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ term.name }} | {{ config.title }}{% endblock title %}
{% block content %}
<h1>{{ trans(key=taxonomy.name, lang=lang) }}: {{ term.name }}</h1>
<ul class="articles">
{%- if paginator %}
{%- for p in paginator.pages %}
{{ m::item(p=p) }}
{%- endfor %}
{%- else %}
{%- for p in term.pages %}
{{ m::item(p=p) }}
{%- endfor %}
{%- endif %}
</ul>
{%- if paginator %}
{{ m::pager(paginator=paginator, lang=lang) }}
{%- endif %}
{% endblock content %}
''',
}

# The vitrine layout's theme. vitrine does not exist yet: these templates are
# written against the context described in README.md ("vitrine template
# context"), which is a proposal, close to Zola's but with Fluent messages
# through t(key, lang, ...args).
VITRINE_TEMPLATES = {
    "base.html": r'''
{#- Context: site, lang, lang_dir, translations, current_url; functions t(), url_for() -#}
<!DOCTYPE html>
<html lang="{{ lang }}" dir="{{ lang_dir }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ site.title }}{% endblock title %}</title>
{%- for tr in translations %}
<link rel="alternate" hreflang="{{ tr.lang }}" href="{{ tr.permalink | safe }}">
{%- endfor %}
<link rel="alternate" type="application/atom+xml" title="{{ t(key="feed", lang=lang) }}" href="{{ url_for(path="atom.xml", lang=lang) | safe }}">
</head>
<body>
<header>
<a class="brand" href="{{ url_for(path="@/_index.md", lang=lang) | safe }}">{{ site.title }}</a>
<nav class="sections" aria-label="{{ t(key="sections", lang=lang) }}">
<a href="{{ url_for(path="@/_index.md", lang=lang) | safe }}">{{ t(key="home", lang=lang) }}</a>
{%- for s in site.sections %}
<a href="{{ url_for(path="@/" ~ s.name ~ "/_index.md", lang=lang) | safe }}">{{ t(key="section-" ~ s.name, lang=lang) }}</a>
{%- endfor %}
<a href="{{ url_for(path="tags/", lang=lang) | safe }}">{{ t(key="tags", lang=lang) }}</a>
<a href="{{ url_for(path="regions/", lang=lang) | safe }}">{{ t(key="regions", lang=lang) }}</a>
</nav>
<nav class="languages" aria-label="{{ t(key="languages", lang=lang) }}">
{%- for tr in translations %}{% if tr.lang != lang %}
<a hreflang="{{ tr.lang }}" lang="{{ tr.lang }}" href="{{ tr.permalink | safe }}">{{ t(key="language-name", lang=tr.lang) }}</a>
{%- endif %}{% endfor %}
</nav>
</header>
<main>
{% block content %}{% endblock content %}
</main>
<footer>{{ t(key="footer", lang=lang) }}</footer>
</body>
</html>
''',
    "components.html": r'''
{% component item(p) %}
<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time datetime="{{ p.date | date(format="%Y-%m-%d") }}">{{ p.date | date(format="%Y-%m-%d") }}</time><p>{{ p.summary }}</p></li>
{% endcomponent item %}

{% component pager(paginator, lang) %}
<nav class="pager">
{%- if paginator.previous %}<a rel="prev" href="{{ paginator.previous | safe }}">{{ t(key="prev", lang=lang) }}</a>{% endif %}
<span>{{ t(key="page-of", lang=lang, current=paginator.current_index, total=paginator.number_pagers) }}</span>
{%- if paginator.next %}<a rel="next" href="{{ paginator.next | safe }}">{{ t(key="next", lang=lang) }}</a>{% endif %}
</nav>
{% endcomponent pager %}
''',
    "page.html": r'''
{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ site.title }}{% endblock title %}
{% block content %}
<article>
<h1>{{ page.title }}</h1>
<p class="meta">{{ t(key="published", lang=lang) }} <time datetime="{{ page.date }}">{{ page.date | date(format="%Y-%m-%d") }}</time></p>
<p class="summary">{{ page.summary }}</p>
<div class="content">
{{ page.content | safe }}
</div>
<p class="tags">{{ t(key="tags", lang=lang) }}:{% for term in page.tags %} <a href="{{ term.permalink | safe }}">{{ term.name }}</a>{% endfor %}</p>
<p class="regions">{{ t(key="regions", lang=lang) }}:{% for term in page.regions %} <a href="{{ term.permalink | safe }}">{{ term.name }}</a>{% endfor %}</p>
</article>
{% endblock content %}
''',
    "section.html": r'''
{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ site.title }}{% endblock title %}
{% block content %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<ul class="articles">
{%- for p in paginator.pages %}
{{ <item p={p} /> }}
{%- endfor %}
</ul>
{{ <pager paginator={paginator} lang={lang} /> }}
{% endblock content %}
''',
    "index.html": r'''
{% extends "base.html" %}
{% block content %}
<h1>{{ site.title }}</h1>
{{ section.content | safe }}
<h2>{{ t(key="latest", lang=lang) }}</h2>
<ul class="articles">
{%- for p in latest[:10] %}
{{ <item p={p} /> }}
{%- endfor %}
</ul>
{% endblock content %}
''',
    "taxonomy.html": r'''
{% extends "base.html" %}
{% block title %}{{ t(key=taxonomy.name, lang=lang) }} | {{ site.title }}{% endblock title %}
{% block content %}
<h1>{{ t(key=taxonomy.name, lang=lang) }}</h1>
<ul class="terms">
{%- for term in terms %}
<li><a href="{{ term.permalink | safe }}">{{ term.name }}</a> ({{ term.page_count }})</li>
{%- endfor %}
</ul>
{% endblock content %}
''',
    "term.html": r'''
{% extends "base.html" %}
{% block title %}{{ term.name }} | {{ site.title }}{% endblock title %}
{% block content %}
<h1>{{ t(key=taxonomy.name, lang=lang) }}: {{ term.name }}</h1>
<ul class="articles">
{%- for p in paginator.pages %}
{{ <item p={p} /> }}
{%- endfor %}
</ul>
{{ <pager paginator={paginator} lang={lang} /> }}
{% endblock content %}
''',
}


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def generate(args):
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    for lang in langs:
        if lang not in LANG_META:
            sys.exit(f"unknown language {lang!r}; known: {', '.join(LANG_ORDER)}")
    default = args.default_language or langs[0]
    if default not in langs:
        sys.exit(f"default language {default!r} is not in --langs")
    if os.path.exists(args.out):
        if not args.force and os.listdir(args.out):
            sys.exit(f"{args.out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(args.out)
    os.makedirs(args.out)

    lay = LAYOUTS[args.layout](args.out, langs, default, args.term_paginate)
    arts = make_articles(args.articles, args.seed)
    lay.site()
    for lang in langs:
        m = LANG_META[lang]
        lay.home(lang, m["site_title"], m["home_intro"])
        for w, sec in enumerate(SECTIONS, 1):
            lay.section(sec, lang, m["sections"][sec], w, section_intro(sec, lang, args.seed))
    titles = {}
    for lang in langs:
        for a in arts:
            titles[(a.i, lang)] = title_of(a, lang, args.seed)
    nbytes = 0
    for a in arts:
        tgt = arts[a.link_to]
        for lang in langs:
            body = body_of(a, lang, args.seed, lay.link(tgt, lang), titles[(tgt.i, lang)])
            nbytes += len(body.encode("utf-8"))
            lay.page(a, lang, titles[(a.i, lang)], summary_of(a, lang, args.seed), body)
    n = len(arts) * len(langs)
    print(f"{args.layout}: {len(arts)} articles x {len(langs)} languages = {n} pages in {args.out} "
          f"(mean body {nbytes / max(1, n):.0f} bytes)", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, required=True, help="articles per language")
    ap.add_argument("--langs", default="vi,en,fr,zh,ar", help="comma separated (default vi,en,fr,zh,ar)")
    ap.add_argument("--default-language", default="vi", help="default language (default vi)")
    ap.add_argument("--out", required=True, help="output directory (created; must be empty unless --force)")
    ap.add_argument("--layout", choices=sorted(LAYOUTS), required=True)
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--term-paginate", type=int, default=PAGINATE,
                    help=f"entries per taxonomy term page, 0 = one unpaginated page (default {PAGINATE})")
    ap.add_argument("--force", action="store_true", help="delete --out first if it exists")
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be >= 1")
    generate(args)


if __name__ == "__main__":
    main()
