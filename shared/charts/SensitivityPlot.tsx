const WIDTH = 360
const HEIGHT = 180
const LEFT = 40
const BOTTOM = 34
const TOP = 10

export interface SensitivityPoint {
  x: number
  theta: number | null
  lower: number | null
  upper: number | null
}

/**
 * judgy's sensitivity plot: how θ̂ and its interval move as one of the judge's rates varies (the
 * other held where it was measured). The band is the interval, the line θ̂; the measured rate is
 * marked. Points where TPR + TNR ≤ 1 leave a gap. Plain SVG.
 */
export function SensitivityPlot({
  points,
  measured,
  rate,
}: {
  points: SensitivityPoint[]
  measured: number
  rate: 'TPR' | 'TNR'
}) {
  const xs = points.map((p) => p.x)
  const lo = Math.min(...xs)
  const hi = Math.max(...xs)
  const plotW = WIDTH - LEFT - 20
  const plotH = HEIGHT - BOTTOM - TOP
  const x = (v: number) => LEFT + ((v - lo) / (hi - lo || 1)) * plotW
  const y = (v: number) => TOP + plotH - v * plotH
  const valid = points.filter(
    (p): p is { x: number; theta: number; lower: number; upper: number } =>
      p.theta !== null && p.lower !== null && p.upper !== null,
  )
  const band = valid.length
    ? `${valid.map((p) => `${x(p.x)},${y(p.upper)}`).join(' ')} ${[...valid]
        .reverse()
        .map((p) => `${x(p.x)},${y(p.lower)}`)
        .join(' ')}`
    : ''
  return (
    <svg
      className="sensitivity-plot"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label={`θ̂ and its interval as the judge's ${rate} varies`}
    >
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <g key={t}>
          <line x1={LEFT} x2={LEFT + plotW} y1={y(t)} y2={y(t)} className="grid" />
          <text x={LEFT - 4} y={y(t) + 4} className="tick" textAnchor="end">
            {t.toFixed(2)}
          </text>
        </g>
      ))}
      {band && <polygon className="band" points={band} />}
      <polyline className="line" points={valid.map((p) => `${x(p.x)},${y(p.theta)}`).join(' ')} />
      <line className="measured" x1={x(measured)} x2={x(measured)} y1={TOP} y2={TOP + plotH} />
      {[lo, (lo + hi) / 2, hi].map((t) => (
        <text key={t} x={x(t)} y={TOP + plotH + 14} className="tick" textAnchor="middle">
          {t.toFixed(2)}
        </text>
      ))}
      <text x={LEFT + plotW / 2} y={HEIGHT - 4} className="axis" textAnchor="middle">
        judge {rate} (dashed: measured)
      </text>
      <text
        x={10}
        y={TOP + plotH / 2}
        className="axis"
        textAnchor="middle"
        transform={`rotate(-90 10 ${TOP + plotH / 2})`}
      >
        θ̂ and interval
      </text>
    </svg>
  )
}
