/**
 * exp, log and integer powers from IEEE arithmetic alone (+, −, ×, ÷ and bit moves), so they give
 * the same bits in every JavaScript engine. Math.exp, Math.log and Math.pow do not: Chromium 156
 * and Node 20 differ in the last bit on a few percent of inputs, which is enough for a share link
 * and `npm run trace` to disagree after a few hundred optimizer steps.
 *
 * exp and log follow the classic fdlibm algorithms (Sun Microsystems, 1993: e_exp.c, e_log.c):
 * error below 1 ulp. powInt is exponentiation by squaring (relative error below k·ε).
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// index of the high (sign/exponent) word in u32 on this machine
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** 2^k for integer k in [−1022, 1023], exactly. */
function twoTo(k: number): number {
  u32[HI] = (k + 1023) << 20;
  u32[LO] = 0;
  return f64[0];
}

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.4513321910194110842e2;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;

/** eˣ, engine-independent (fdlibm e_exp.c). */
export function exp(x: number): number {
  if (!(x <= O_THRESHOLD)) return x > O_THRESHOLD ? Infinity : NaN;
  if (x < U_THRESHOLD) return 0;
  const ax = x < 0 ? -x : x;
  if (ax < 3.725290298461914e-9) return 1 + x; // |x| < 2⁻²⁸

  // x = k·ln2 + r, |r| ≤ ½ln2, with r = hi − lo carried in two parts
  let k = 0;
  let hi = x;
  let lo = 0;
  if (ax > 0.5 * 0.6931471805599453) {
    if (ax < 1.5 * 0.6931471805599453) k = x > 0 ? 1 : -1;
    else k = Math.trunc(INV_LN2 * x + (x > 0 ? 0.5 : -0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
  }
  const r = hi - lo;
  // e^r = 1 + r + r·c/(2 − c), c = r − r²·P(r²) (a Remez fit on [0, 0.347])
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((r * c) / (c - 2) - r);
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // y·2^k; below 2⁻¹⁰²¹ scale in two steps to reach the subnormals exactly as fdlibm does
  return k >= -1021 ? y * twoTo(k) : y * twoTo(k + 1000) * twoTo(-1000);
}

const TWO54 = 1.8014398509481984e16;
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/** ln x, engine-independent (fdlibm e_log.c). */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    k -= 54; // subnormal: scale up into the normal range
    x *= TWO54;
  }
  f64[0] = x;
  let hx = u32[HI];
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  // normalise x into [√2/2, √2): f = x − 1
  const i0 = (hx + 0x95f64) & 0x100000;
  u32[HI] = hx | (i0 ^ 0x3ff00000);
  k += i0 >> 20;
  const f = f64[0] - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2⁻²⁰
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - R : dk * LN2_HI - (R - dk * LN2_LO - f);
  }
  // ln(1+f) = 2s + s·R(s²), s = f/(2+f)
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0
      ? f - (hfsq - s * (hfsq + R))
      : dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - R) : dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}

/** baseᵏ for an integer k ≥ 0, by squaring (the bias corrections 1 − β^k of spec §4.6). */
export function powInt(base: number, k: number): number {
  let result = 1;
  let b = base;
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result *= b;
    b *= b;
  }
  return result;
}
