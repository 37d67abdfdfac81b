# Ports of the playground's deterministic math (src/lib/math/detmath.ts) and seeded PRNG
# (src/lib/math/rng.ts), operation for operation, so that Python floats reproduce the browser's
# and `trace`'s bits: fdlibm exp and log, mulberry32 streams, Marsaglia's polar normals and
# Fisher-Yates permutations.

import math
import struct

_LN2_HI = 6.9314718036912381649e-1
_LN2_LO = 1.90821492927058770002e-10
_INV_LN2 = 1.442695040888963387
_O_THRESHOLD = 7.09782712893383973096e2
_U_THRESHOLD = -7.4513321910194110842e2
_P1 = 1.66666666666666019037e-1
_P2 = -2.77777777770155933842e-3
_P3 = 6.61375632143793436117e-5
_P4 = -1.6533902205465251539e-6
_P5 = 4.13813679705723846039e-8


def det_exp(x):
    """e^x, fdlibm e_exp.c (as detmath.ts exp)."""
    if not (x <= _O_THRESHOLD):
        return math.inf if x > _O_THRESHOLD else math.nan
    if x < _U_THRESHOLD:
        return 0.0
    ax = -x if x < 0 else x
    if ax < 3.725290298461914e-9:
        return 1 + x
    k = 0
    hi = x
    lo = 0.0
    if ax > 0.5 * 0.6931471805599453:
        if ax < 1.5 * 0.6931471805599453:
            k = 1 if x > 0 else -1
        else:
            k = int(_INV_LN2 * x + (0.5 if x > 0 else -0.5))
        hi = x - k * _LN2_HI
        lo = k * _LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    if k == 0:
        return 1 - ((r * c) / (c - 2) - r)
    y = 1 - (lo - (r * c) / (2 - c) - hi)
    if k >= -1021:
        return y * math.ldexp(1.0, k)
    return y * math.ldexp(1.0, k + 1000) * math.ldexp(1.0, -1000)


_TWO54 = 1.8014398509481984e16
_LG1 = 6.66666666666673513e-1
_LG2 = 3.999999999940941908e-1
_LG3 = 2.857142874366239149e-1
_LG4 = 2.222219843214978396e-1
_LG5 = 1.818357216161805012e-1
_LG6 = 1.531383769920937332e-1
_LG7 = 1.479819860511658591e-1


def _to_int32(v):
    v &= 0xFFFFFFFF
    return v - 0x100000000 if v >= 0x80000000 else v


def det_log(x):
    """ln x, fdlibm e_log.c (as detmath.ts log)."""
    if x != x or x < 0:
        return math.nan
    if x == 0:
        return -math.inf
    if x == math.inf:
        return math.inf
    k = 0
    if x < 2.2250738585072014e-308:
        k -= 54
        x *= _TWO54
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    hx = _to_int32(bits >> 32)
    low = bits & 0xFFFFFFFF
    k += (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i0 = (hx + 0x95F64) & 0x100000
    high = hx | (i0 ^ 0x3FF00000)
    k += i0 >> 20
    f = struct.unpack("<d", struct.pack("<Q", (high << 32) | low))[0] - 1
    dk = float(k)
    if (0x000FFFFF & (2 + hx)) < 3:
        if f == 0:
            return 0.0 if k == 0 else dk * _LN2_HI + dk * _LN2_LO
        R = f * f * (0.5 - 0.3333333333333333 * f)
        return f - R if k == 0 else dk * _LN2_HI - (R - dk * _LN2_LO - f)
    s = f / (2 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    R = t2 + t1
    if _to_int32((hx - 0x6147A) | (0x6B851 - hx)) > 0:
        hfsq = 0.5 * f * f
        if k == 0:
            return f - (hfsq - s * (hfsq + R))
        return dk * _LN2_HI - (hfsq - (s * (hfsq + R) + dk * _LN2_LO) - f)
    return f - s * (f - R) if k == 0 else dk * _LN2_HI - (s * (f - R) - dk * _LN2_LO - f)


_M32 = 0xFFFFFFFF


def _imul(a, b):
    """Math.imul on 32-bit patterns: the low 32 bits of the product."""
    return ((a & _M32) * (b & _M32)) & _M32


def mix_seed(*words):
    """rng.ts mixSeed: murmur3's finaliser per word, a 32-bit seed."""
    h = 0x9E3779B9
    for w in words:
        h = _imul(h ^ (int(w) & _M32), 0x85EBCA6B)
        h ^= h >> 13
        h = _imul(h, 0xC2B2AE35)
        h ^= h >> 16
    return h & _M32


class Rng:
    """rng.ts makeRng: a mulberry32 stream with Marsaglia-polar normals."""

    def __init__(self, seed):
        self.a = mix_seed(int(seed))
        self.spare = None

    def uniform(self):
        self.a = (self.a + 0x6D2B79F5) & _M32
        a = self.a
        t = _imul(a ^ (a >> 15), 1 | a)
        t = ((t + _imul(t ^ (t >> 7), 61 | t)) & _M32) ^ t
        return ((t ^ (t >> 14)) & _M32) / 4294967296

    def normal(self):
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        while True:
            u = 2 * self.uniform() - 1
            v = 2 * self.uniform() - 1
            s = u * u + v * v
            if not (s >= 1 or s == 0):
                break
        m = math.sqrt((-2 * det_log(s)) / s)
        self.spare = v * m
        return u * m

    def int(self, n):
        return math.floor(self.uniform() * n)


def permutation(rng, n):
    """rng.ts permutation: Fisher-Yates over 0 ... n-1."""
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.int(i + 1)
        p[i], p[j] = p[j], p[i]
    return p
