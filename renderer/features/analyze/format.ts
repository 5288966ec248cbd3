/** A share as a whole percentage; a dash where there is none. */
export const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`)
