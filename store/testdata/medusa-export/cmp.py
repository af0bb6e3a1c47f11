import sys
def load(p):
    lines = open(p, newline='').read().split('\r\n')
    assert lines[-1] == ''
    hdr = lines[0].split(';')
    rows = {}
    for l in lines[1:-1]:
        v = l.split(';')
        assert len(v) == len(hdr), (p, len(v), len(hdr), l)
        d = dict(zip(hdr, v))
        rows[d['Variant ID']] = d
    return hdr, rows
mh, mr = load(sys.argv[1]); gh, gr = load(sys.argv[2])
print('same header set:', sorted(mh) == sorted(gh), 'same header order:', mh == gh)
if mh != gh: print(' medusa:', mh[38:], '\n gorgon:', gh[38:])
print('rows', len(mr), len(gr), 'same variants:', set(mr) == set(gr))
bad = 0
for k in mr:
    if k in gr and mr[k] != gr[k]:
        bad += 1
        if bad < 5: print(k, {c: (mr[k][c], gr[k].get(c)) for c in mr[k] if mr[k][c] != gr[k].get(c)})
print('rows differing:', bad)
