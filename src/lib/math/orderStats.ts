/**
 * The smallest, the middle and the largest value of an array as sorting it ascending would place
 * them (NaN after every number; the middle is the element at index ⌊n/2⌋), found without
 * sorting: Hoare's selection in expected linear time. The η panels take these per layer group
 * every time they are drawn; sorting a group of the lab's benchmark transformer was most of the
 * time of its η statistics.
 */

export interface OrderStats {
  min: number;
  median: number;
  max: number;
}

/**
 * Reorders `a` (a scratch copy: the order is lost). An empty array gives NaN for all three.
 * `rounds`: partitions before the selection sorts what is left (default 2⌈log₂ n⌉ + 8, which
 * bounds the worst case at a sort's cost; splits that bad take inputs built against the pivot).
 */
export function orderStats(
  a: Float32Array,
  rounds = 2 * Math.ceil(Math.log2(a.length + 1)) + 8,
): OrderStats {
  const n = a.length;
  // the numbers first, the NaNs after them, as a sort places them
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    if (x === x) {
      a[i] = a[m];
      a[m++] = x;
    }
  }
  if (m === 0) return { min: NaN, median: NaN, max: NaN };
  let min = a[0];
  let max = a[0];
  for (let i = 1; i < m; i++) {
    const x = a[i];
    if (x < min) min = x;
    else if (x > max) max = x;
  }
  const k = n >> 1;
  return {
    min,
    median: k < m ? select(a, m - 1, k, rounds) : NaN,
    max: m < n ? NaN : max,
  };
}

/**
 * The k-th smallest of a[0..hi] (no NaN), moving it to index k: Hoare's partition around the
 * median of three. After a partition a[lo..j] ≤ p ≤ a[i..hi] and everything between equals p.
 * After `rounds` partitions the rest is sorted.
 */
function select(a: Float32Array, hi: number, k: number, rounds: number): number {
  let lo = 0;
  while (hi > lo) {
    if (rounds-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    const p = median3(a[lo], a[(lo + hi) >> 1], a[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (a[j] > p) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

const median3 = (x: number, y: number, z: number): number =>
  x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
