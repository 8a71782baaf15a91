# Sourced by the benchmark scripts: the shared corpus in the vitrine layout,
# ready to build, and a scratch folder for outputs on /dev/shm.
#
#   vitrine_corpus DIR ARTICLES   generate the corpus into DIR and patch it
#   shm_dir NAME                  a new folder under /dev/shm (or the temp dir)

bench=${SHARED_BENCH:-../shared/bench}

vitrine_corpus() {
  python3 "$bench/gen_corpus.py" --articles "$2" --layout vitrine --out "$1" --force >/dev/null
  # The corpus's base.html treats `site.sections` items as folder names; in
  # vitrine (SPEC) they are objects with name, title and permalink, so a
  # template writes `s.name`.
  sed -i 's/"@\/" ~ s ~ "\/_index.md"/"@\/" ~ s.name ~ "\/_index.md"/; s/"section-" ~ s,/"section-" ~ s.name,/' \
    "$1/themes/default/templates/base.html"
}

shm_dir() {
  local root=/dev/shm
  [ -d "$root" ] || root=${TMPDIR:-/tmp}
  mktemp -d "$root/$1.XXXX"
}
