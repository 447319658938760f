#!/usr/bin/env python3
"""Runs `paddlenet run` (any command prefix: a folder's binary, qemu-aarch64 + binary) on reference cases of a
shared manifest and compares every output with the manifest's tolerance: |ours - ref| <= abs + rel*|ref|
(numpy.allclose), defaults 1e-5/1e-4 as tests/PaddleNet.Tests/Support/Tolerances.cs, plus the same arg-max per row.
Pure Python (no numpy): the .npy reader below handles the little-endian C-order arrays the references use.
usage: run-references.py --cli 'CMD...' --model PATH --manifest PATH [--cases N] [--work DIR]"""
import argparse, ast, json, os, shlex, struct, subprocess, sys, tempfile

CODES = {'<f4': ('f', 4), '<f8': ('d', 8), '<i4': ('i', 4), '<i8': ('q', 8), '|u1': ('B', 1), '|i1': ('b', 1)}


def read_npy(path):
    with open(path, 'rb') as f:
        data = f.read()
    if data[:6] != b'\x93NUMPY':
        raise ValueError(f'{path}: not a .npy file')
    if data[6] == 1:
        hlen, start = struct.unpack('<H', data[8:10])[0], 10
    else:
        hlen, start = struct.unpack('<I', data[8:12])[0], 12
    header = ast.literal_eval(data[start:start + hlen].decode('latin1'))
    if header['fortran_order'] or header['descr'] not in CODES:
        raise ValueError(f'{path}: unsupported header {header}')
    code, size = CODES[header['descr']]
    body = data[start + hlen:]
    count = len(body) // size
    return list(header['shape']), list(struct.unpack(f'<{count}{code}', body[:count * size]))


def argmax_rows(shape, values):
    if not shape:
        return []
    row = shape[-1] or 1
    return [max(range(row), key=lambda i: (values[r + i], -i)) for r in range(0, len(values), row)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cli', required=True)
    ap.add_argument('--model', required=True)
    ap.add_argument('--manifest', required=True)
    ap.add_argument('--cases', type=int, default=0)
    a = ap.parse_args()
    with open(a.manifest) as f:
        m = json.load(f)
    tol = m.get('tolerance') or {}
    abs_tol, rel_tol = float(tol.get('abs', 1e-5)), float(tol.get('rel', 1e-4))
    ref_dir = os.path.dirname(os.path.abspath(a.manifest))
    cases = m['cases'][:a.cases] if a.cases else m['cases']
    failures = 0
    for c in cases:
        with tempfile.TemporaryDirectory() as out:
            cmd = shlex.split(a.cli) + ['run', a.model, '--output-dir', out]
            for name, rel in c['inputs'].items():
                cmd += ['--input', f'{name}={os.path.normpath(os.path.join(ref_dir, rel))}']
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                print(f'FAIL {a.model} {c["name"]}: exit {p.returncode}: {p.stderr.strip()[-400:]}')
                failures += 1
                continue
            for o in c['outputs']:
                k = o['index']
                rshape, ref = read_npy(os.path.join(ref_dir, o['file']))
                oshape, ours = read_npy(os.path.join(out, f'out.{k}.npy'))
                worst = max((abs(x - y) - (abs_tol + rel_tol * abs(y)) for x, y in zip(ours, ref)), default=0.0)
                ok = rshape == oshape and worst <= 0 and argmax_rows(rshape, ref) == argmax_rows(oshape, ours)
                if not ok:
                    failures += 1
                status = 'ok  ' if ok else 'FAIL'
                print(f'{status} {os.path.basename(os.path.dirname(ref_dir))}/{c["name"]} out {k} shape {oshape} '
                      f'(abs {abs_tol:g} + rel {rel_tol:g}; worst excess {worst:.3g})')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
