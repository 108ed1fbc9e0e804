"""Derives the digamma coefficients in src/kernels/gamma.ts with mpmath (50 digits).

    /usr/bin/python3 scripts/special-coefficients.py

Prints digamma's positive root x0 split into a float64 and the rest (ROOT_HI,
ROOT_LO), and DIGAMMA_FIT: a Chebyshev fit of psi(x) / (x - x0) on [1, 2] as a
polynomial in t = x - 1.5 (highest power first). Writing psi as (x - x0)*P
keeps its relative accuracy next to the root, where psi itself cancels to 0.
Also reports the worst error, in float64 ulps, of the Horner evaluation in
float64 on a grid of [1, 2].
"""
import math

import mpmath as mp

mp.mp.dps = 50
DEGREE = 23

x0 = mp.findroot(mp.digamma, mp.mpf("1.4616321449683623"))
hi = float(x0)
lo = float(x0 - mp.mpf(hi))


def ratio(t):
    x = mp.mpf(1.5) + t
    d = x - x0
    return mp.polygamma(1, x0) if abs(d) < mp.mpf("1e-40") else mp.digamma(x) / d


coefficients, error = mp.chebyfit(ratio, [-0.5, 0.5], DEGREE + 1, error=True)
fit = [float(c) for c in coefficients]

worst = 0.0
for i in range(20001):
    x = 1 + i / 20000
    p = 0.0
    for c in fit:
        p = p * (x - 1.5) + c
    y = ((x - hi) - lo) * p
    exact = mp.digamma(mp.mpf(x))
    worst = max(worst, float(abs(mp.mpf(y) - exact) / math.ulp(abs(float(exact)))))

print(f"ROOT_HI = {hi!r}")
print(f"ROOT_LO = {lo!r}")
print(f"DIGAMMA_FIT (fit error {mp.nstr(error, 3)}):")
print(",\n".join(repr(c) for c in fit))
print(f"worst float64 error on [1, 2]: {worst:.2f} ulps")
