# vitrine default theme – English UI strings
lang-vi = Vietnamese
lang-en = English
lang-fr = French
lang-zh = Chinese
lang-ar = Arabic

site-tagline = Official portal · Viet Nam
skip-to-content = Skip to main content
main-navigation = Main navigation
footer-navigation = Sections
languages = Languages
home = Home
breadcrumbs = Breadcrumbs
explore = Explore
subsections = Subsections
topics = Topics
tags = Tags
regions = Regions
audiences = Audiences

latest = Latest articles
read-more = Read more
feed = Atom feed
published = Published
updated = Updated
author = By
corrections = Corrections
toc = On this page
more-in-section = More in this section
prev = Previous
next = Next
pagination = Pagination
page-of = Page { $current } of { $total }
no-articles = There are no articles here yet.

articles-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}
terms-count = { $count ->
    [one] { $count } term
   *[other] { $count } terms
}
reading-time = { $minutes ->
    [one] { $minutes } min read
   *[other] { $minutes } min read
}

fallback-marker = not yet translated
fallback-notice = This page is not yet available in English; it is shown in { $language }.
machine-translation-badge = Machine translation
machine-translation-notice = This page was translated automatically and has not yet been reviewed. The original text prevails.
machine-translation-by = Translation: { $by }
draft-translation-notice = This translation is a draft and may still change.

key-figures = Key figures
figure-area = Area
figure-population = Population ({ $year })
figure-provinces = Provinces and cities
figure-provinces-note = since 1 July 2025
figure-heritage = World Heritage Sites
figure-coastline = Coastline

not-found-title = Page not found
not-found-text = The page you are looking for does not exist or has moved. Try the sections below or go back to the home page.
footer = © Viet Nam National Image Portal. Content may be reproduced with attribution.

lang-ru = Russian
available-in = Available in
share = Share
share-on = Share on { $network }
share-email = Send by email
related = Related articles
doc-number = Number
doc-kind = Kind
doc-issuer = Issued by
doc-signer = Signed by
doc-issued = Date of issue
doc-effective = Effective from
doc-status = Status
doc-kind-constitution = Constitution
doc-kind-law = Law
doc-kind-resolution = Resolution
doc-kind-decree = Decree
doc-kind-decision = Decision
doc-status-in-force = In force
doc-status-amended = Amended
doc-status-repealed = Repealed
doc-source = Official text
filter-title = Filter documents
filter-kind = By kind
filter-year = By year of issue
filter-all = All
filter-help = Choose a kind and a year; the list updates at once.
documents-count = { $count ->
    [one] { $count } document
   *[other] { $count } documents
}
figure-credit = Photo: { $credit }
video-play = Watch the video: { $title }
video-note = The video opens on { $host }. Nothing is loaded from { $host } before you click.
key-figure-source = Source: { $source }
figure-heritage-note = { $cultural } cultural, { $natural } natural, { $mixed } mixed
figure-population-note = estimate
featured = Featured

# Search page (search.html, search.js); $count is filled in by the script
search = Search
search-title = Search
search-label = Search the portal
search-placeholder = For example: visa, Hue, Tet
search-button = Search
search-section = Section
search-all-sections = All sections
search-results = Results: { $count }
search-no-results = No page matches your search.
search-error = The search index could not be loaded.
search-offline = Search needs the site on a web server: this copy is opened from files. Browse the sections, or open the online portal.
search-loading = Searching…
search-more = More results
search-browse = Browse by section
search-noscript = Search needs JavaScript. You can browse the sections instead:
search-fallback = Not yet translated: pages in other languages

sections = Sections

# An imported page credits where it came from (vitrine import).
source-credit = Source: { $source }

# Urgent notices and change notes
notices = Notices
notice-emergency = Emergency
notice-warning = Warning
notice-info = Information
change-history = Change history
updated-on = Updated on { $date }
changes-feed = Changes
corrected-on = Corrected on { $date }
