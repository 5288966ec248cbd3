import type { Taxonomy } from '../domain'

const ROW = 26
const LABEL = 220
const WIDTH = 640
const PLOT = WIDTH - LABEL - 90

/**
 * The Pareto chart of failure modes (methodology §2.4): one bar per mode, most frequent first,
 * its length the share of reviewed traces with the failure, a whisker for the 95% Wilson
 * interval, the count and rate written beside it. Plain SVG (the report renders the same
 * component to static markup). A bar can be clicked through to its traces.
 */
/** What the chart needs of a taxonomy (the report stores only this). */
export type ParetoData = Pick<Taxonomy, 'reviewed'> & {
  modes: { id: number; name: string; count: number; rate: { estimate: number | null; lower: number; upper: number } }[]
}

export function Pareto({ taxonomy, onPick }: { taxonomy: ParetoData; onPick?: (modeId: number) => void }) {
  const { modes, reviewed } = taxonomy
  if (modes.length === 0) return <p className="muted">No failure modes yet.</p>
  const max = Math.max(0.05, ...modes.map((m) => m.rate.upper))
  const top = Math.ceil(max * 20) / 20 // axis to the next 5%
  const x = (rate: number) => LABEL + (rate / top) * PLOT
  const height = modes.length * ROW + 44
  const ticks = Array.from({ length: 6 }, (_, i) => (top * i) / 5)
  return (
    <svg
      className="pareto"
      viewBox={`0 0 ${WIDTH} ${height}`}
      width="100%"
      role="img"
      aria-label={`Failure modes by share of the ${reviewed} reviewed traces`}
    >
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={4} y2={modes.length * ROW + 8} className="grid" />
          <text x={x(t)} y={modes.length * ROW + 22} className="tick" textAnchor="middle">
            {Math.round(t * 100)}%
          </text>
        </g>
      ))}
      <text x={LABEL + PLOT / 2} y={height - 4} className="axis" textAnchor="middle">
        share of the {reviewed} reviewed traces with the failure (bar), 95% Wilson interval (whisker)
      </text>
      {modes.map((m, i) => {
        const y = 8 + i * ROW
        const rate = m.rate.estimate ?? 0
        return (
          <g
            key={m.id}
            className="bar-row"
            data-mode={m.name}
            onClick={() => onPick?.(m.id)}
            style={{ cursor: onPick ? 'pointer' : undefined }}
          >
            <title>{`${m.name}: ${m.count} of ${reviewed} traces (${(rate * 100).toFixed(1)}%, 95% CI ${(m.rate.lower * 100).toFixed(1)}–${(m.rate.upper * 100).toFixed(1)}%)`}</title>
            <text x={LABEL - 8} y={y + 14} textAnchor="end" className="label">
              {i + 1}. {m.name.length > 28 ? `${m.name.slice(0, 27)}…` : m.name}
            </text>
            <rect x={LABEL} y={y + 3} width={Math.max(1, x(rate) - LABEL)} height={ROW - 10} className="bar" />
            <line
              x1={x(m.rate.lower)}
              x2={x(m.rate.upper)}
              y1={y + ROW / 2 - 1}
              y2={y + ROW / 2 - 1}
              className="whisker"
            />
            <text x={x(Math.max(rate, m.rate.upper)) + 6} y={y + 14} className="value" data-testid="pareto-count">
              {m.count} ({(rate * 100).toFixed(1)}%)
            </text>
          </g>
        )
      })}
    </svg>
  )
}
