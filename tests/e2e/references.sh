#!/usr/bin/env bash
# tests/e2e/references.sh — every document the tree cites is in the tree.
#
# Scans the tracked text files of src/, drivers/, tests/ (not the fuzz
# corpus), docs/, man/, layouts/, .ci/, the Makefile, README.md and
# fixtures/README, and refuses, one "file:line: why" each:
#   - a cited *.md path that exists neither from the repository root nor
#     from the citing file's folder (a token with a `$` is a variable and is
#     skipped, a URL too); a docs/ path of any kind, or a source file
#     named by its path (src/…, drivers/…, tests/….c, .h, .py, .sh), that
#     does not exist — files move, and a comment naming the old place
#     sends its reader nowhere;
#   - the library notes named bare instead of as docs/api-notes.md;
#   - a citation of the shared specs folder or of an issue number: neither
#     is in a clone (docs/README says where each spec lives now);
#   - a manual page such as lsrmon-layout(5) with no man/ file behind it;
#   - a section of a docs/ page cited by its title (docs/clinical.md "How
#     presence is judged") or label (docs/api-notes.md, B1) that no heading
#     of the page has, even where the citation wraps onto the next line.
# Then it plants one violation of each kind in a copy of the tree and
# must refuse every copy, as tests/e2e/layers.sh does for the layers.
set -eu
cd "$(dirname "$0")/../.."

# The files to scan: tracked, plus new ones not yet added (not ignored).
list=$(mktemp); tmp=$(mktemp -d); trap 'rm -rf "$list" "$tmp"' EXIT
git ls-files --cached --others --exclude-standard -- \
	src drivers tests docs man layouts .ci Makefile README.md fixtures/README |
	grep -v '^tests/fuzz/corpus/' | sort -u >"$list"
[ -s "$list" ] || { echo "no files to scan"; exit 1; }

# check ROOT LIST: exit 1 and one line per violation.
check() {
	python3 - "$1" "$2" <<'EOF'
import os, re, sys

root, listing = sys.argv[1], sys.argv[2]
# The patterns are spelled so that this script does not match itself.
MD = re.compile(r"[A-Za-z0-9_./$~{}:-]*[A-Za-z0-9_$}-]\.md\b")
DOCS = re.compile(r"(?<![A-Za-z0-9_./-])docs/[A-Za-z0-9_./-]*[A-Za-z0-9_]")
SOURCE = re.compile(r"(?<![A-Za-z0-9_./$-])(?:src|drivers|tests)/[A-Za-z0-9_./-]*\.(?:c|h|py|sh)\b")
NOTES = re.compile(r"api[-]notes(?!\.md)")
SHARED = re.compile(r"(?<![A-Za-z0-9_])shared[/]")
ISSUE = re.compile(r"\bissues?[ \t]*(?:no\.?[ \t]*)?#?[0-9]+\b", re.I)
MAN = re.compile(r"\b(lsrmon(?:-[a-z]+)*)(?:\\f[BIRP])?[ \t]?\(([1-8])\)")

# A docs/ page, then its quoted section titles or its label.
SECTION = re.compile(r"(docs/[A-Za-z0-9_-]+\.md)((?:(?:,|\s|and)+\"[^\"]{1,80}\")*)(?:,\s*(B[0-9]+|C)\b(?!['-]))?")
# A line break and the comment leader after it, for citations that wrap.
WRAP = re.compile(r"\n[ \t]*(?:\*(?!/)|#|//|;)?[ \t]*")
headings = {}

def sections(page):
    if page not in headings:
        try:
            text = open(os.path.join(root, page), encoding="utf-8").read()
        except OSError:
            text = ""
        headings[page] = [h.lstrip("#").strip().lower()
                          for h in text.split("\n") if h.startswith("#")]
    return headings[page]

def exists(rel, here):
    rel = rel.rstrip(".")
    return any(os.path.exists(os.path.join(root, base, rel)) for base in ("", here))

bad = 0
def report(path, n, why):
    global bad
    bad += 1
    print(f"{path}:{n}: {why}")

for path in open(listing).read().split("\n"):
    if not path:
        continue
    full = os.path.join(root, path)
    try:
        data = open(full, "rb").read()
    except OSError as e:
        report(path, 0, f"cannot be read: {e.strerror}")
        continue
    if b"\0" in data:
        continue  # not text
    here = os.path.dirname(path)
    text = data.decode("utf-8", "replace")
    joined = WRAP.sub(lambda m: " " * len(m.group(0)), text)
    for m in SECTION.finditer(joined):
        page, n = m.group(1), text.count("\n", 0, m.start()) + 1
        if not os.path.exists(os.path.join(root, page)):
            continue  # reported below as a missing page
        for title in re.findall(r'"([^"]+)"', m.group(2)):
            title = " ".join(title.split())
            if not any(title.lower() in h for h in sections(page)):
                report(path, n, f'cites {page} "{title}", a section the page does not have')
        label = m.group(3)
        if label and not any(h.startswith(label.lower() + ".") for h in sections(page)):
            report(path, n, f"cites {page}, {label}, a section the page does not have")
    for n, line in enumerate(text.split("\n"), 1):
        for m in MD.finditer(line):
            tok = m.group(0)
            if "$" in tok or "://" in tok or "{" in tok:
                continue
            tok = tok.rsplit(":", 1)[-1]
            if tok and not exists(tok, here):
                report(path, n, f"cites {tok}, which is not in the tree")
        for m in DOCS.finditer(line):
            tok = m.group(0)
            if not tok.endswith(".md") and not exists(tok, ""):
                report(path, n, f"cites {tok}, which is not in the tree")
        for m in SOURCE.finditer(line):
            if not exists(m.group(0), here):
                report(path, n, f"names {m.group(0)}, which is not in the tree")
        if NOTES.search(line):
            report(path, n, "names the library notes bare: write docs/api-notes.md")
        if SHARED.search(line):
            report(path, n, "cites the shared specs folder, which a clone does not have: cite docs/")
        m = ISSUE.search(line)
        if m:
            report(path, n, f"cites \"{m.group(0)}\": say the reason, or cite docs/ or a man page")
        for m in MAN.finditer(line):
            page = f"man/{m.group(1)}.{m.group(2)}"
            if not os.path.exists(os.path.join(root, page)):
                report(path, n, f"cites {m.group(1)}({m.group(2)}), but {page} is not in the tree")
sys.exit(1 if bad else 0)
EOF
}

check . "$list"

# copy NAME FILE TEXT: a copy of the scanned files in $tmp/NAME with TEXT
# as FILE's last line.
copy() {
	rm -rf "${tmp:?}/$1"; mkdir -p "$tmp/$1"
	tar -cf - -T "$list" | tar -xf - -C "$tmp/$1"
	printf '%s\n' "$3" >>"$tmp/$1/$2"
}

# plant NAME FILE TEXT: check must refuse such a copy, naming FILE.
plant() {
	copy "$@"
	if out=$(check "$tmp/$1" "$list"); then
		echo "planted violation '$1' was not found"; exit 1
	fi
	case $out in
	*"$2:"*) echo "planted '$1': $out" | head -1 ;;
	*) echo "planted violation '$1' was reported elsewhere: $out"; exit 1 ;;
	esac
}
# The planted texts are split so that this script does not cite them.
plant missing src/judge/judge.c '/* the rules: doc''s/presence.m''d */'
plant relative src/sink/osc.c '/* see ../osc-notes.m''d */'
plant docs-path src/ui/screen.c '/* see doc''s/screen */'
plant source src/signal/measure.c '/* as src/signal/noise.''c does */'
plant bare src/source/port.c '/* termios for ptys (api''-notes, B1) */'
plant shared Makefile '# the contract is in ../sha''red/ for now'
plant issue src/session.c '/* as is''sue 3 asked */'
plant man layouts/standard.ini '; see lsrmon-screen''(5)'
plant roff man/lsrmon.1 '.BR lsrmon-colours ''(5)'
plant section src/judge/judge_trial.c '/* (doc''s/clinical.m''d "How absence
 * is judged") */'
plant label src/sink/osc_send.c '/* (doc''s/api''-notes.m''d, B9) */'

# And what is allowed stays allowed: a path from the citing file's folder,
# a variable, a URL.  (The `$` is meant literally.)
# shellcheck disable=SC2016
copy allowed tests/bench/run \
	'# README.m''d beside this file; $here/RESULTS.m''d; https://example.org/x.m''d'
out=$(check "$tmp/allowed" "$list") || { echo "a citation that resolves was refused: $out"; exit 1; }
echo "references: $(wc -l <"$list") files, every citation in the tree"
