/**
 * Where a page's one-key shortcuts may act (decisions.md, "Teaching and accessibility"): never
 * while focus is in a field that types or picks (those keys are the user's text), never on a
 * modifier combination, and Space/Enter stay with a focused button, link, tab or summary.
 * Arrow keys are never page shortcuts: they belong to the focused widget.
 */
export function pageKey(e: KeyboardEvent): string | null {
  if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return null;
  const target = e.target as HTMLElement | null;
  if (target?.closest?.('input, select, textarea, [contenteditable], dialog')) return null;
  if (
    (e.key === ' ' || e.key === 'Enter') &&
    target?.closest?.('button, a, summary, [role="tab"], [role="application"]')
  )
    return null;
  if (e.key.startsWith('Arrow')) return null;
  return e.key;
}
