import type { ReactNode } from 'react'
import './manage.css'

/** How a series is drawn: a colour that keeps 3:1 contrast against white and a fill pattern, so the
 *  series can be told apart without seeing colour at all. */
export type SeriesStyle = { color: string; pattern: 'solid' | 'hatch' | 'dots' | 'cross' }

export const seriesStyles: SeriesStyle[] = [
  { color: '#1747c4', pattern: 'solid' },
  { color: '#067647', pattern: 'hatch' },
  { color: '#a24a05', pattern: 'dots' },
  { color: '#b42318', pattern: 'cross' },
]

function PatternDefs({ id, styles }: { id: string; styles: SeriesStyle[] }) {
  return (
    <defs>
      {styles.map((style, index) =>
        style.pattern === 'solid' ? null : (
          <pattern
            // biome-ignore lint/suspicious/noArrayIndexKey: the styles are a fixed list.
            key={index}
            id={`${id}-pattern-${index}`}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform={style.pattern === 'hatch' ? 'rotate(45)' : undefined}
          >
            <rect width="6" height="6" fill="#ffffff" />
            {style.pattern === 'hatch' ? (
              <line x1="0" y1="0" x2="0" y2="6" stroke={style.color} strokeWidth="3" />
            ) : style.pattern === 'cross' ? (
              <path d="M0 0 L6 6 M6 0 L0 6" stroke={style.color} strokeWidth="1.5" />
            ) : (
              <circle cx="3" cy="3" r="1.6" fill={style.color} />
            )}
          </pattern>
        ),
      )}
    </defs>
  )
}

function fillOf(id: string, style: SeriesStyle, index: number): string {
  return style.pattern === 'solid' ? style.color : `url(#${id}-pattern-${index})`
}

/** A small swatch with a series' colour and pattern, for legends. */
function Swatch({ id, style, index }: { id: string; style: SeriesStyle; index: number }) {
  const patternId = `${id}-swatch`
  return (
    <svg width="18" height="14" aria-hidden="true" focusable="false" className="manage-swatch">
      <PatternDefs id={patternId} styles={seriesStyles} />
      <rect
        x="1"
        y="1"
        width="16"
        height="12"
        fill={fillOf(patternId, style, index)}
        stroke={style.color}
        strokeWidth="1.5"
      />
    </svg>
  )
}

/** Round numbers for an axis from 0 to at least `max`: about four steps of 1, 2 or 5 × 10ⁿ, never less
 *  than 1 apart, since the bars count things. */
export function axisTicks(max: number, steps = 4): number[] {
  if (max <= 0) return [0, 1]
  const raw = max / steps
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = Math.max(1, ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude)
  const ticks: number[] = []
  for (let value = 0; value < max + step; value += step) {
    ticks.push(Math.round(value * 1e6) / 1e6)
    if (value >= max) break
  }
  return ticks
}

type ChartFrameProps = {
  id: string
  /** The chart's name, shown as its heading-like caption. */
  title: string
  /** One or two sentences that say what the chart shows: the accessible description. */
  summary: string
  /** Label of the `<details>` that holds the table view. */
  tableLabel: string
  /** The same numbers as a table. */
  table: ReactNode
  legend?: ReactNode
  children: ReactNode
  width: number
  height: number
}

/** A server-rendered SVG chart with its text alternative: the picture is an image whose name is its
 *  title and the gist in a sentence, and the numbers are in a table below it, open from the start, so
 *  the chart reads the same without JavaScript and to a screen reader. */
function ChartFrame({ id, title, summary, tableLabel, table, legend, children, width, height }: ChartFrameProps) {
  return (
    <figure className="manage-chart">
      <figcaption id={`${id}-caption`} className="manage-chart-title">
        {title}
      </figcaption>
      <p id={`${id}-summary`} className="manage-chart-summary">
        {summary}
      </p>
      {legend}
      <div className="manage-chart-canvas">
        <svg
          role="img"
          aria-labelledby={`${id}-svg-title`}
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
        >
          <title id={`${id}-svg-title`}>{`${title}. ${summary}`}</title>
          {children}
        </svg>
      </div>
      <details className="manage-chart-table" open>
        <summary>{tableLabel}</summary>
        {table}
      </details>
    </figure>
  )
}

export type BarSeries = { label: string }
export type BarGroup = { label: string; values: number[] }

/** Grouped bars (one group per x value, one bar per series), with a legend that pairs each series'
 *  pattern with its name and the value printed above bars when there is room. */
export function GroupedBarChart({
  id,
  title,
  summary,
  tableLabel,
  table,
  series,
  groups,
  formatValue,
}: {
  id: string
  title: string
  summary: string
  tableLabel: string
  table: ReactNode
  series: BarSeries[]
  groups: BarGroup[]
  formatValue: (value: number) => string
}) {
  const margin = { top: 16, right: 12, bottom: 40, left: 44 }
  // At least 18 px per group, so a year of weeks stays legible (the picture scrolls with the page).
  const plotWidth = Math.max(720, 18 * groups.length)
  const groupWidth = plotWidth / Math.max(groups.length, 1)
  const plotHeight = 200
  const width = plotWidth + margin.left + margin.right
  const height = plotHeight + margin.top + margin.bottom
  const max = Math.max(0, ...groups.flatMap((group) => group.values))
  const ticks = axisTicks(max)
  const top = ticks[ticks.length - 1] ?? 1
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight
  const barWidth = Math.min(28, Math.max(3, (groupWidth * 0.8) / series.length))
  const labelEvery = Math.ceil(groups.length / 12)
  const styles = series.map((_, index) => seriesStyles[index % seriesStyles.length]!)

  const legend = (
    <ul className="manage-legend">
      {series.map((item, index) => (
        <li key={item.label}>
          <Swatch id={`${id}-legend-${index}`} style={styles[index]!} index={index} />
          {item.label}
        </li>
      ))}
    </ul>
  )

  return (
    <ChartFrame
      id={id}
      title={title}
      summary={summary}
      tableLabel={tableLabel}
      table={table}
      legend={legend}
      width={width}
      height={height}
    >
      <PatternDefs id={id} styles={styles} />
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} className="manage-grid" />
          <text x={margin.left - 6} y={y(tick) + 4} textAnchor="end" className="manage-axis">
            {formatValue(tick)}
          </text>
        </g>
      ))}
      {groups.map((group, groupIndex) => {
        const x0 = margin.left + groupIndex * groupWidth + (groupWidth - barWidth * series.length) / 2
        return (
          <g key={group.label}>
            {group.values.map((value, index) => {
              const style = styles[index]!
              const barTop = y(value)
              return (
                <g key={series[index]?.label ?? index}>
                  <rect
                    x={x0 + index * barWidth}
                    y={barTop}
                    width={Math.max(1, barWidth - 1)}
                    height={Math.max(0, margin.top + plotHeight - barTop)}
                    fill={fillOf(id, style, index)}
                    stroke={style.color}
                    strokeWidth="1"
                  />
                  {value > 0 && barWidth >= 14 ? (
                    <text
                      x={x0 + index * barWidth + barWidth / 2}
                      y={barTop - 3}
                      textAnchor="middle"
                      className="manage-value"
                    >
                      {formatValue(value)}
                    </text>
                  ) : null}
                </g>
              )
            })}
            {groupIndex % labelEvery === 0 ? (
              <text
                x={margin.left + groupIndex * groupWidth + groupWidth / 2}
                y={margin.top + plotHeight + 16}
                textAnchor="middle"
                className="manage-axis"
              >
                {group.label}
              </text>
            ) : null}
          </g>
        )
      })}
      <line
        x1={margin.left}
        x2={width - margin.right}
        y1={margin.top + plotHeight}
        y2={margin.top + plotHeight}
        className="manage-baseline"
      />
    </ChartFrame>
  )
}

/** Round numbers for an axis from `min` (≤ 0) to `max` (≥ 0), zero among them: steps of 1, 2 or 5 × 10ⁿ,
 *  about four across the whole span. */
export function signedAxisTicks(min: number, max: number, steps = 4): number[] {
  const span = max - min
  if (span <= 0) return [0, 1]
  const raw = span / steps
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude
  const ticks: number[] = []
  for (let value = Math.floor(min / step) * step; value < max + step; value += step) {
    ticks.push(Math.round(value * 1e6) / 1e6)
    if (value >= max) break
  }
  return ticks
}

/** A series of a diverging chart: drawn up from zero when it gains, down when it loses. */
export type DivergingSeries = { label: string; direction: 'up' | 'down' }

/** Bars above and below a zero line, one group per x value (a week, a month), one bar per series:
 *  the gains (new ARR, expansion) rise, the losses (contraction, churn) hang below. Values are given
 *  positive; the series says which way it is drawn. Same frame, legend and table as `GroupedBarChart`. */
export function DivergingBarChart({
  id,
  title,
  summary,
  tableLabel,
  table,
  series,
  groups,
  formatValue,
}: {
  id: string
  title: string
  summary: string
  tableLabel: string
  table: ReactNode
  series: DivergingSeries[]
  groups: BarGroup[]
  formatValue: (value: number) => string
}) {
  const margin = { top: 16, right: 12, bottom: 40, left: 72 }
  const plotWidth = Math.max(720, 18 * groups.length * Math.max(1, series.length / 2))
  const groupWidth = plotWidth / Math.max(groups.length, 1)
  const plotHeight = 220
  const width = plotWidth + margin.left + margin.right
  const height = plotHeight + margin.top + margin.bottom
  const signed = (value: number, index: number) => (series[index]?.direction === 'down' ? -value : value)
  const values = groups.flatMap((group) => group.values.map(signed))
  const ticks = signedAxisTicks(Math.min(0, ...values), Math.max(0, ...values))
  const low = ticks[0] ?? 0
  const high = ticks[ticks.length - 1] ?? 1
  const y = (value: number) => margin.top + plotHeight - ((value - low) / (high - low || 1)) * plotHeight
  const barWidth = Math.min(28, Math.max(3, (groupWidth * 0.8) / series.length))
  const labelEvery = Math.ceil(groups.length / 12)
  const styles = series.map((_, index) => seriesStyles[index % seriesStyles.length]!)

  const legend = (
    <ul className="manage-legend">
      {series.map((item, index) => (
        <li key={item.label}>
          <Swatch id={`${id}-legend-${index}`} style={styles[index]!} index={index} />
          {item.label}
        </li>
      ))}
    </ul>
  )

  return (
    <ChartFrame
      id={id}
      title={title}
      summary={summary}
      tableLabel={tableLabel}
      table={table}
      legend={legend}
      width={width}
      height={height}
    >
      <PatternDefs id={id} styles={styles} />
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} className="manage-grid" />
          <text x={margin.left - 6} y={y(tick) + 4} textAnchor="end" className="manage-axis">
            {formatValue(tick)}
          </text>
        </g>
      ))}
      {groups.map((group, groupIndex) => {
        const x0 = margin.left + groupIndex * groupWidth + (groupWidth - barWidth * series.length) / 2
        return (
          <g key={group.label}>
            {group.values.map((value, index) => {
              const style = styles[index]!
              const end = y(signed(value, index))
              const zero = y(0)
              return (
                <rect
                  key={series[index]?.label ?? index}
                  x={x0 + index * barWidth}
                  y={Math.min(end, zero)}
                  width={Math.max(1, barWidth - 1)}
                  height={Math.abs(zero - end)}
                  fill={fillOf(id, style, index)}
                  stroke={style.color}
                  strokeWidth="1"
                />
              )
            })}
            {groupIndex % labelEvery === 0 ? (
              <text
                x={margin.left + groupIndex * groupWidth + groupWidth / 2}
                y={margin.top + plotHeight + 16}
                textAnchor="middle"
                className="manage-axis"
              >
                {group.label}
              </text>
            ) : null}
          </g>
        )
      })}
      <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} className="manage-baseline" />
    </ChartFrame>
  )
}

export type ScorePoint = { day: string; score: number | null; level: string }

const DAY_MS = 86_400_000

/** A step line of the health score (0–100) over time: each snapshot's score holds until the next
 *  one. The GOOD and NORMAL thresholds are dashed lines named at the right edge, and each snapshot's
 *  level is a marker shape (circle GOOD, square NORMAL, triangle BAD, ring without enough data), so
 *  the bands read without colour. */
export function ScoreHistoryChart({
  id,
  title,
  summary,
  tableLabel,
  table,
  points,
  from,
  to,
  thresholds,
  labels,
  formatDay,
}: {
  id: string
  title: string
  summary: string
  tableLabel: string
  table: ReactNode
  points: ScorePoint[]
  /** First and last day of the x axis, `YYYY-MM-DD`. */
  from: string
  to: string
  thresholds: { goodFrom: number; normalFrom: number }
  labels: { good: string; normal: string; bad: string }
  formatDay: (day: string) => string
}) {
  const margin = { top: 14, right: 116, bottom: 36, left: 40 }
  const plotWidth = 720
  const plotHeight = 200
  const width = plotWidth + margin.left + margin.right
  const height = plotHeight + margin.top + margin.bottom
  const start = Date.parse(`${from}T00:00:00Z`)
  const span = Math.max(DAY_MS, Date.parse(`${to}T00:00:00Z`) - start)
  const x = (day: string) => margin.left + ((Date.parse(`${day}T00:00:00Z`) - start) / span) * plotWidth
  const y = (score: number) => margin.top + plotHeight - (Math.max(0, Math.min(100, score)) / 100) * plotHeight
  const right = margin.left + plotWidth

  // Step path: a horizontal run to the next snapshot, then the jump; a day without a score breaks it.
  let path = ''
  let previous: { x: number; y: number } | null = null
  for (const point of points) {
    if (point.score === null) {
      previous = null
      continue
    }
    const px = x(point.day)
    const py = y(point.score)
    path += previous ? ` H${px.toFixed(1)} V${py.toFixed(1)}` : ` M${px.toFixed(1)} ${py.toFixed(1)}`
    previous = { x: px, y: py }
  }
  const last = [...points].reverse().find((point) => point.score !== null)
  if (previous && last) path += ` H${Math.min(right, x(last.day) + plotWidth / Math.max(points.length, 30)).toFixed(1)}`

  const xTicks = [
    { day: from, anchor: 'start' },
    { day: midDay(from, to), anchor: 'middle' },
    { day: to, anchor: 'end' },
  ] as const
  const markers = points.length <= 120

  return (
    <ChartFrame
      id={id}
      title={title}
      summary={summary}
      tableLabel={tableLabel}
      table={table}
      width={width}
      height={height}
    >
      <rect
        x={margin.left}
        y={y(100)}
        width={plotWidth}
        height={y(thresholds.goodFrom) - y(100)}
        className="manage-band-good"
      />
      <rect
        x={margin.left}
        y={y(thresholds.goodFrom)}
        width={plotWidth}
        height={y(thresholds.normalFrom) - y(thresholds.goodFrom)}
        className="manage-band-normal"
      />
      <rect
        x={margin.left}
        y={y(thresholds.normalFrom)}
        width={plotWidth}
        height={y(0) - y(thresholds.normalFrom)}
        className="manage-band-bad"
      />
      {[0, 25, 50, 75, 100].map((tick) => (
        <text key={tick} x={margin.left - 6} y={y(tick) + 4} textAnchor="end" className="manage-axis">
          {tick}
        </text>
      ))}
      {[thresholds.goodFrom, thresholds.normalFrom].map((value) => (
        <line key={value} x1={margin.left} x2={right} y1={y(value)} y2={y(value)} className="manage-threshold" />
      ))}
      <text x={right + 6} y={(y(100) + y(thresholds.goodFrom)) / 2 + 4} className="manage-band-label">
        {labels.good}
      </text>
      <text x={right + 6} y={(y(thresholds.goodFrom) + y(thresholds.normalFrom)) / 2 + 4} className="manage-band-label">
        {labels.normal}
      </text>
      <text x={right + 6} y={(y(thresholds.normalFrom) + y(0)) / 2 + 4} className="manage-band-label">
        {labels.bad}
      </text>
      {xTicks.map(({ day, anchor }) => (
        <text key={anchor} x={x(day)} y={margin.top + plotHeight + 18} textAnchor={anchor} className="manage-axis">
          {formatDay(day)}
        </text>
      ))}
      <line x1={margin.left} x2={right} y1={y(0)} y2={y(0)} className="manage-baseline" />
      {path ? <path d={path.trim()} className="manage-line" /> : null}
      {markers
        ? points.map((point) =>
            point.score === null ? null : (
              <Marker key={point.day} x={x(point.day)} y={y(point.score)} level={point.level} />
            ),
          )
        : null}
    </ChartFrame>
  )
}

function Marker({ x, y, level }: { x: number; y: number; level: string }) {
  if (level === 'GOOD') return <circle cx={x} cy={y} r="4" className="manage-marker" />
  if (level === 'NORMAL') return <rect x={x - 3.5} y={y - 3.5} width="7" height="7" className="manage-marker" />
  if (level === 'BAD')
    return <path d={`M${x} ${y - 5} L${x + 5} ${y + 4} L${x - 5} ${y + 4} Z`} className="manage-marker" />
  return <circle cx={x} cy={y} r="4" className="manage-marker-hollow" />
}

function midDay(from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`)
  const b = Date.parse(`${to}T00:00:00Z`)
  return new Date(a + Math.round((b - a) / 2 / DAY_MS) * DAY_MS).toISOString().slice(0, 10)
}
