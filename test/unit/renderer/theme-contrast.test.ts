/**
 * The app's two palettes (renderer/styles.css) read well: every text colour the CSS puts on a background keeps a
 * WCAG contrast of at least 4.5:1 there, in light and in dark. The ratios are computed from the CSS file itself,
 * so a colour changed there is checked here. Also: the light chart colours are the ones a report uses.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../helpers/paths'

const css = readFileSync(join(repoRoot, 'renderer/styles.css'), 'utf8')

/** The custom properties declared in the first rule whose selector is exactly `selector`. */
function palette(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`)
  if (start < 0) throw new Error(`no rule "${selector}" in styles.css`)
  const body = css.slice(start, css.indexOf('}', start))
  return new Map([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]))
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG 2 contrast ratio of two colours, 1 to 21. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

/** Text colour → the backgrounds the CSS sets it on (each pair appears in styles.css or trace.css). */
const PAIRS: Record<string, string[]> = {
  '--ink': [
    '--bg',
    '--panel',
    '--accent-soft',
    '--defer-soft',
    '--user-bg',
    '--system-bg',
    '--tool-bg',
    '--tool-msg-bg',
    '--code-bg',
    '--code-block-bg',
    '--subtle-bg',
    '--checked-bg',
    '--kbd-bg',
  ],
  '--muted': ['--bg', '--panel', '--system-bg', '--tool-msg-bg', '--code-head-bg', '--subtle-bg', '--neutral-soft'],
  '--accent': ['--bg', '--panel', '--accent-soft'],
  '--on-accent': ['--accent-fill'],
  '--pass': ['--panel', '--pass-soft'],
  '--fail': ['--panel', '--bg', '--fail-soft'],
  '--defer': ['--panel', '--bg', '--defer-soft'],
  '--json-key': ['--panel', '--system-bg', '--tool-msg-bg'],
  '--json-string': ['--panel', '--system-bg', '--tool-msg-bg'],
  '--json-number': ['--panel', '--system-bg', '--tool-msg-bg'],
  '--json-literal': ['--panel', '--system-bg', '--tool-msg-bg'],
  '--chart-text': ['--panel'],
  '--chart-ink': ['--panel'],
}

const THEMES = { light: ':root, .report-preview', dark: ":root[data-theme='dark']" }

describe('theme palettes', () => {
  for (const [theme, selector] of Object.entries(THEMES)) {
    it(`${theme}: every text colour has a contrast of at least 4.5:1 on its backgrounds`, () => {
      const vars = palette(selector)
      const low: string[] = []
      for (const [fg, bgs] of Object.entries(PAIRS))
        for (const bg of bgs) {
          const [a, b] = [vars.get(fg), vars.get(bg)]
          if (!a || !b) throw new Error(`${theme} palette lacks ${a ? bg : fg}`)
          const ratio = contrast(a, b)
          if (ratio < 4.5) low.push(`${fg} on ${bg}: ${ratio.toFixed(2)}`)
        }
      expect(low).toEqual([])
    })
  }

  it('both palettes declare the same variables (a colour missing from dark would stay light)', () => {
    expect([...palette(THEMES.dark).keys()].sort()).toEqual([...palette(THEMES.light).keys()].sort())
  })

  it('the dark palette is dark: its background is darker than its text, and the light one the other way', () => {
    const light = palette(THEMES.light)
    const dark = palette(THEMES.dark)
    expect(luminance(dark.get('--bg') ?? '')).toBeLessThan(0.05)
    expect(luminance(dark.get('--ink') ?? '')).toBeGreaterThan(0.6)
    expect(luminance(light.get('--bg') ?? '')).toBeGreaterThan(0.8)
  })

  it("the app's light chart colours are the charts' fallbacks, the colours every report draws with", () => {
    const charts = readFileSync(join(repoRoot, 'shared/charts/charts.css'), 'utf8')
    const light = palette(THEMES.light)
    const uses = [...charts.matchAll(/var\((--chart-[\w-]+), (#[0-9a-f]{6})\)/gi)]
    expect(uses.length).toBeGreaterThan(10)
    for (const [, name, fallback] of uses) expect(`${name} ${light.get(name)}`).toBe(`${name} ${fallback}`)
    // No colour in the charts outside those variables, and the report cuts every one of them off.
    expect(charts.replace(/var\(--chart-[\w-]+, #[0-9a-f]{6}\)/gi, '')).not.toMatch(/#[0-9a-f]{3,8}\b|rgb/i)
    const report = readFileSync(join(repoRoot, 'shared/report/report.css'), 'utf8')
    for (const name of new Set(uses.map((u) => u[1]))) expect(report).toContain(`${name}: initial`)
  })
})
