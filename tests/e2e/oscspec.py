"""tests/e2e/oscspec.py — the OSC message lsrmon(1) "OSC" promises for one
JSON Lines event, written from the manual's field lists (not from lsrmon's
encoder), for the receivers' tests (osc_oscdump.sh, osc_pd.sh)."""
import math

NUM, INT, BOOL, TRI, TEXT, LIST = 'num', 'int', 'bool', 'tri', 'text', 'list'

# The fields after t of each fixed-signature address, in order.
FIELDS = {
    'stim': [('n', INT), ('origin', TEXT)],
    'response': [('n', INT), ('ch', INT), ('role', TEXT), ('valid', BOOL),
                 ('invalid_reason', TEXT), ('present', TRI), ('p2p_uv', NUM),
                 ('onset_ms', NUM), ('area_uv_ms', NUM), ('late_p2p_uv', NUM),
                 ('noise_uv', NUM), ('threshold_uv', NUM), ('amplitude_uv', NUM),
                 ('trials', INT)],
    'baseline': [('ch', INT), ('p2p_uv', NUM), ('onset_ms', NUM), ('trials', INT),
                 ('provisional', BOOL)],
    'channel_state': [('ch', INT), ('state', TEXT), ('prev', TEXT), ('reason', TEXT)],
    'state': [('state', TEXT), ('prev', TEXT), ('since', NUM), ('premature', BOOL),
              ('after_decompression', BOOL), ('ratio', NUM), ('verified', BOOL),
              ('provisional', BOOL), ('indeterminate_ch', LIST)],
    'mark': [('id', INT), ('label', TEXT), ('origin', TEXT)],
    'link': [('status', TEXT)],
    'gap': [('samples', INT)],
    'alarm': [('what', TEXT), ('text', TEXT)],
}

# A JSON null: f NaN, s "", i -1 (never N).
MISSING = {NUM: ('f', math.nan), TRI: ('i', -1), TEXT: ('s', '')}


def arg(v, kind):
    """One argument as (type tag, value)."""
    if v is None:
        return MISSING[kind]
    if kind == NUM:
        return ('f', float(v))
    if kind in (INT, BOOL, TRI):
        return ('i', int(v))
    if kind == LIST:  # a list in a fixed signature: one text, comma separated
        return ('s', ','.join(str(x) for x in v))
    return ('s', v)


def expected(e):
    """The arguments of /lsrmon/<e['type']> as a list of (tag, value)."""
    out = [arg(e['t'], NUM)]
    if e['type'] == 'start':
        out += [arg(e['segment'], INT), arg(e['source'], TEXT), arg(e['driver'], TEXT),
                arg(e['rate'], NUM), arg(len(e['channels']), INT)]
        for c in e['channels']:
            out += [arg(c['index'], INT), arg(c['label'], TEXT), arg(c['role'], TEXT)]
        out.append(arg(len(e['params']), INT))
        for k, v in e['params'].items():
            out += [arg(k, TEXT), arg(v, TEXT if isinstance(v, str) else NUM)]
        out.append(arg(len(e['warnings']), INT))
        out += [arg(w, TEXT) for w in e['warnings']]
        out.append(arg(e['simulation'], BOOL))
    elif e['type'] == 'end':
        # The list hum_uv goes as hum_uv_0, hum_uv_1, … pairs.
        stats = []
        for k, v in e['stats'].items():
            stats += [(f'{k}_{i}', x) for i, x in enumerate(v)] if isinstance(v, list) else [(k, v)]
        out += [arg(e['final'], TEXT), arg(e['final_phase'], TEXT), arg(e['stims'], INT),
                arg(len(stats), INT)]
        for k, v in stats:
            out += [arg(k, TEXT), arg(v, NUM)]
    else:
        out += [arg(e[k], kind) for k, kind in FIELDS[e['type']]]
    return out
