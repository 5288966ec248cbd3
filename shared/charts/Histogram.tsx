const WIDTH = 560
const HEIGHT = 200
const LEFT = 48
const BOTTOM = 40
const TOP = 12

/**
 * The bootstrap distribution of the corrected pass rate θ: one bar per bin of draws, the
 * interval's ends and θ̂ marked, both axes named. Plain SVG, like every chart (the report renders
 * the same component to static markup).
 */
export function Histogram({
  x0,
  width,
  counts,
  lower,
  upper,
  theta,
  source,
}: {
  x0: number
  width: number
  counts: number[]
  lower: number
  upper: number
  theta: number
  source: string
}) {
  const lo = Math.min(x0, lower)
  const hi = Math.max(x0 + width * counts.length, upper)
  const span = hi - lo || 0.01
  const plotW = WIDTH - LEFT - 12
  const plotH = HEIGHT - BOTTOM - TOP
  const x = (v: number) => LEFT + ((v - lo) / span) * plotW
  const max = Math.max(1, ...counts)
  const y = (c: number) => TOP + plotH - (c / max) * plotH
  const ticks = Array.from({ length: 5 }, (_, i) => lo + (span * i) / 4)
  const total = counts.reduce((a, b) => a + b, 0)
  return (
    <svg
      className="histogram"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label={`Distribution of ${total} ${source} draws of θ, interval ${lower.toFixed(3)}–${upper.toFixed(3)}`}
    >
      {counts.map((c, i) => (
        <rect
          key={i}
          className="bin"
          x={x(x0 + i * width)}
          y={y(c)}
          width={Math.max(0.5, x(x0 + (i + 1) * width) - x(x0 + i * width) - 1)}
          height={TOP + plotH - y(c)}
        />
      ))}
      <rect className="interval" x={x(lower)} y={TOP} width={Math.max(1, x(upper) - x(lower))} height={plotH} />
      <line className="bound" x1={x(lower)} x2={x(lower)} y1={TOP} y2={TOP + plotH} />
      <line className="bound" x1={x(upper)} x2={x(upper)} y1={TOP} y2={TOP + plotH} />
      <line className="theta" x1={x(theta)} x2={x(theta)} y1={TOP} y2={TOP + plotH} />
      <line className="axis-line" x1={LEFT} x2={LEFT + plotW} y1={TOP + plotH} y2={TOP + plotH} />
      {ticks.map((t) => (
        <text key={t} x={x(t)} y={TOP + plotH + 14} className="tick" textAnchor="middle">
          {t.toFixed(2)}
        </text>
      ))}
      <text x={LEFT + plotW / 2} y={HEIGHT - 6} className="axis" textAnchor="middle">
        corrected pass rate θ (shaded: the interval; line: θ̂)
      </text>
      <text
        x={12}
        y={TOP + plotH / 2}
        className="axis"
        textAnchor="middle"
        transform={`rotate(-90 12 ${TOP + plotH / 2})`}
      >
        draws
      </text>
    </svg>
  )
}
