/**
 * A whole number as the app's English text writes it: 1,234,567. Not `toLocaleString`, whose first
 * call loads the locale's data — 70 ms of a cold start in Chromium here, on the path to the first
 * trace — and which wrote "1.234 items" in some places and "1,234 items" in others.
 */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.trunc(n)))
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',')
  return n < 0 && Math.trunc(n) !== 0 ? `-${grouped}` : grouped
}
