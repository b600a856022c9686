#!/usr/bin/python3
"""tests/e2e/screen_cells.py — a `tmux capture-pane -p -e` screen as cells.

tmux writes each cell's colours as changes from the cell before, so the same
screen can come out in different escape sequences.  This reads them into
per-cell styles and prints one canonical form for golden files: the text,
then a map with one letter per cell naming its style, then what each letter
is (foreground, background, attributes).  Exit status 1, with the places,
when a cell has a background colour behind its text (none may: a background
behind a trace hides it).  Reverse video (banners, tags) is the text in its
colour's own box, not a background behind a trace: its pair's background
is the contrasting text colour.  Inside a plot it is one, though: a braille
cell (a trace, the graticule), or any cell with braille on both sides of
it in its row, fails in reverse video too."""
import re
import sys

SGR = re.compile(r'\x1b\[([0-9;]*)m')


def cells(path):
    style = {'fg': 'default', 'bg': 'default', 'attrs': frozenset()}
    rows = []
    for line in open(path, encoding='utf-8').read().split('\n'):
        row, pos = [], 0
        for m in SGR.finditer(line):
            row += [(ch, dict(style)) for ch in line[pos:m.start()]]
            pos = m.end()
            apply(style, m.group(1))
        row += [(ch, dict(style)) for ch in line[pos:]]
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def apply(style, params):
    p = [int(x) if x else 0 for x in params.split(';')]
    i, attrs = 0, set(style['attrs'])
    names = {1: 'bold', 2: 'dim', 3: 'italic', 4: 'underline', 5: 'blink', 7: 'reverse'}
    while i < len(p):
        c = p[i]
        if c == 0:
            style['fg'] = style['bg'] = 'default'
            attrs = set()
        elif c in names:
            attrs.add(names[c])
        elif c == 22:
            attrs -= {'bold', 'dim'}
        elif 23 <= c <= 27:
            attrs -= {{23: 'italic', 24: 'underline', 25: 'blink', 27: 'reverse'}.get(c)}
        elif 30 <= c <= 37 or 90 <= c <= 97:
            style['fg'] = str(c - 30 if c < 90 else c - 82)
        elif 40 <= c <= 47 or 100 <= c <= 107:
            style['bg'] = str(c - 40 if c < 100 else c - 92)
        elif c in (38, 48) and i + 1 < len(p):
            n = 3 if p[i + 1] == 5 else 5
            style['fg' if c == 38 else 'bg'] = ':'.join(map(str, p[i + 1:i + n]))
            i += n - 1
        elif c == 39:
            style['fg'] = 'default'
        elif c == 49:
            style['bg'] = 'default'
        i += 1
    style['attrs'] = frozenset(attrs)


def braille(ch):
    return '\u2800' <= ch <= '\u28ff'


def key(st):
    return (st['fg'], st['bg'], tuple(sorted(st['attrs'])))


def main():
    rows = cells(sys.argv[1])
    letters = '.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
    seen = {('default', 'default', ()): '.'}
    out, bad = [], []
    for row in rows:
        out.append(''.join(ch for ch, _ in row))
    out.append('-- styles (one letter per cell, legend below) --')
    for y, row in enumerate(rows):
        line = ''
        dots = [x for x, (ch, _) in enumerate(row) if braille(ch)]
        for x, (_, st) in enumerate(row):
            k = key(st)
            if k not in seen:
                seen[k] = letters[len(seen) % len(letters)]
            line += seen[k]
            plot = bool(dots) and dots[0] <= x <= dots[-1]
            behind = st['bg'] != 'default' or 'reverse' in st['attrs']
            if behind and (plot or 'reverse' not in st['attrs']):
                bad.append(f'{x},{y}')
        out.append(line)
    for k, v in seen.items():
        out.append(f'{v} fg={k[0]} bg={k[1]} {" ".join(k[2])}'.rstrip())
    print('\n'.join(out))
    if bad:
        print('background colour at ' + ' '.join(bad[:20]), file=sys.stderr)
        sys.exit(1)


main()
