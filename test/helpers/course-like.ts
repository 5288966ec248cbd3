/**
 * Small files of our own with the quirks of the course's and the students' real exports
 * (../shared/data, which we must not copy): a human-labeled set and a judge's run over it that
 * drops one row (kinano), and the course's HW3 test predictions with UNKNOWN verdicts and
 * responses cut to 200 characters. Deterministic, so tests can assert exact counts.
 */

/** One CSV cell: quoted when it holds a comma, quote or line break (quotes doubled). */
const cell = (value: string | number): string => {
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** CSV text with CRLF line endings, as the students' files have. */
export const csv = (header: string[], rows: (string | number)[][]): string =>
  [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'

/** A recipe-bot answer: multi-line Markdown with quotes and non-ASCII, like every `response` cell of the course. */
export const response = (i: number): string =>
  `Absolutely! Here's a **"${['Paleo', 'Vegan', 'Keto', 'Gluten-Light'][i % 4]}" bowl** (#${i}):\r\n\r\n### Ingredients\r\n- 1 cup "quinoa", rinsed\r\n- Bake at 180 °C for ${10 + (i % 30)} minutes\r\n\r\n### Steps\r\n1. Rinse, then simmer for 15 minutes.\r\n2. Serve warm, with lemon.\r\n\r\n> Enjoy "as is" — café style!`

export interface LabeledRow {
  id: string
  label: 'pass' | 'fail'
}

/**
 * kinano's human-labeled dev set: 44 traces (32 pass, 12 fail), lower-case labels, CRLF, an
 * always-empty `error` column; trace ids `<query>_<n>`. The last one, `46_15`, is a human fail.
 */
export function kinanoSet(): { rows: LabeledRow[]; file: string } {
  const rows: LabeledRow[] = Array.from({ length: 44 }, (_, i) => ({
    id: i === 43 ? '46_15' : `${3 + i}_${((i * 7) % 20) + 1}`,
    label: i % 11 < 8 ? 'pass' : 'fail',
  }))
  const file = csv(
    ['query', 'dietary_restriction', 'response', 'label', 'error', 'trace_id', 'query_id'],
    rows.map((r, i) => [
      `A ${['paleo', 'vegan', 'keto'][i % 3]} dinner for two, please`,
      ['paleo', 'vegan', 'keto'][i % 3],
      response(i),
      r.label,
      '',
      r.id,
      r.id.split('_')[0],
    ]),
  )
  return { rows, file }
}

/**
 * A judge run over that set: its rows plus `llm_judge_label`, `reason` and `confidence`, with the
 * row of `46_15` dropped (as every kinano run drops it). `flip` turns the verdicts of those rows
 * (by index) against the human label, so two runs can differ.
 */
export function kinanoRun(set: LabeledRow[], flip: (i: number) => boolean = (i) => i % 6 === 0): string {
  const header = [
    'query',
    'dietary_restriction',
    'response',
    'label',
    'error',
    'trace_id',
    'query_id',
    'llm_judge_label',
    'reason',
    'confidence',
  ]
  const rows = set.flatMap((r, i) => {
    if (r.id === '46_15') return []
    const verdict = flip(i) ? (r.label === 'pass' ? 'fail' : 'pass') : r.label
    return [
      [
        `A ${['paleo', 'vegan', 'keto'][i % 3]} dinner for two, please`,
        ['paleo', 'vegan', 'keto'][i % 3],
        response(i),
        r.label,
        '',
        r.id,
        r.id.split('_')[0],
        verdict,
        `The recipe ${verdict === 'pass' ? 'respects' : 'breaks'} the restriction.`,
        ['high', 'medium'][i % 2],
      ],
    ]
  })
  return csv(header, rows)
}

/** What a judge said, for the course-like predictions: human label and judge verdict (UNKNOWN = no verdict). */
type Pair = ['PASS' | 'FAIL', 'PASS' | 'FAIL' | 'UNKNOWN']

/**
 * The course's HW3 test predictions: 46 items, TP 31, FN 0, FP 2, TN 9, and 4 UNKNOWN verdicts
 * (3 on human Pass, 1 on human Fail) — so 31/0/2/9 with the errors left out, 31/3/2/10 with them
 * counted as Fail. A JSON array; `response` cut to 200 characters + "...".
 */
export function coursePredictions(): { pairs: Pair[]; file: string; ids: string[] } {
  const pairs: Pair[] = [
    ...Array.from({ length: 31 }, (): Pair => ['PASS', 'PASS']),
    ...Array.from({ length: 2 }, (): Pair => ['FAIL', 'PASS']),
    ...Array.from({ length: 9 }, (): Pair => ['FAIL', 'FAIL']),
    ...Array.from({ length: 3 }, (): Pair => ['PASS', 'UNKNOWN']),
    ['FAIL', 'UNKNOWN'],
  ]
  // Interleaved, as a real file is, so that no class sits in one block.
  const order = pairs.map((_, i) => i).sort((a, b) => ((a * 17) % 46) - ((b * 17) % 46))
  const ids = order.map((i) => `${i + 1}_${(i % 9) + 1}`)
  const records = order.map((i, k) => ({
    trace_id: ids[k],
    query: `Query ${i}: something ${['vegan', 'gluten-free', 'diabetic'][i % 3]}`,
    dietary_restriction: ['vegan', 'gluten-free', 'diabetic'][i % 3],
    response: `${response(i).slice(0, 200)}...`,
    true_label: pairs[i][0],
    predicted_label: pairs[i][1],
    reasoning: pairs[i][1] === 'UNKNOWN' ? 'Could not determine.' : `Judged ${pairs[i][1]}.`,
    success: true,
  }))
  return { pairs: order.map((i) => pairs[i]), file: JSON.stringify(records, null, 2), ids }
}

/**
 * The same 46 traces as the course's test_set.csv: whole responses, GPT-4o's PASS/FAIL `label` with its `reasoning`.
 */
export function courseTestSet(): string {
  const { pairs, ids } = coursePredictions()
  const order = pairs.map((_, k) => k)
  return csv(
    [
      'query',
      'dietary_restriction',
      'response',
      'success',
      'error',
      'trace_id',
      'query_id',
      'label',
      'reasoning',
      'confidence',
      'labeled',
    ],
    order.map((k) => {
      const i = Number(ids[k].split('_')[0]) - 1
      return [
        `Query ${i}: something ${['vegan', 'gluten-free', 'diabetic'][i % 3]}`,
        ['vegan', 'gluten-free', 'diabetic'][i % 3],
        response(i),
        'True',
        '',
        ids[k],
        String(i + 1),
        pairs[k][0],
        'Because.',
        'HIGH',
        'True',
      ]
    }),
  )
}
