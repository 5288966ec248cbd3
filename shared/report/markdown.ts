import {
  ERROR_POLICY_NAMES,
  estimateErrorsText,
  matrixErrorsText,
  notRunText,
  rateText,
  splitRan,
  type EstimateView,
  type Matrix,
} from '../calibrate'
import { profileField, type ReportData, type ReportJudge } from './data'
import { alternativeRows, type Alternatives } from '../audit'

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(3))
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`)
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((x) => cell(String(x))).join(' | ')} |`),
  ].join('\n')

/** The calibration report as Markdown: the same data and numbers as the HTML. */
export function reportMarkdown(data: ReportData): string {
  const out: string[] = [
    `# Calibration report: ${data.project.name}`,
    '',
    `${data.project.items} items in ${data.project.datasets.length} dataset(s) · generated ${data.generatedAt} by Assay ${data.app.version}${data.project.synthetic ? ' · **synthetic demo data**' : ''}`,
  ]
  for (const j of data.judges) out.push(...judgeSection(j))
  out.push(...projectSections(data))
  return `${out.join('\n')}\n`
}

/** One judge: its production estimate, its quality per split, its disagreements and its prompt. */
function judgeSection(j: ReportJudge): string[] {
  const out = [
    '',
    `## ${j.criterion}: judge “${j.name}” v${j.version}`,
    '',
    ...j.interpretation.map((l) => `> ${l}`),
    '',
    '### Production estimate',
    '',
  ]
  const e = j.estimate
  if (e) out.push(estimateTable(e), ...e.warnings.map((w) => `- ⚠ ${w.message}`))
  else out.push(`No corrected rate: ${j.refusal ?? ''}`)
  out.push('', '### Side by side: fewer labels for the same certainty', '', alternativesTable(j.alternatives))
  out.push(
    '',
    `### Judge quality (targets: TPR and TNR ≥ ${j.targets.target}, minimum ${j.targets.minimum})`,
    '',
    `Error verdicts of the judge: ${ERROR_POLICY_NAMES[j.errorPolicy]} — error policy \`${j.errorPolicy}\`.`,
    '',
  )
  for (const m of j.matrices) out.push(splitRan(m) ? matrix(m) : notRunText(m), '')
  out.push(
    `Labels per split (pass / fail): train ${j.labels.train.pass} / ${j.labels.train.fail} · dev ${j.labels.dev.pass} / ${j.labels.dev.fail} · test ${j.labels.test.pass} / ${j.labels.test.fail}. Test evaluations of this version: ${j.testEvaluations}.`,
  )
  if (j.disagreements.length > 0) {
    out.push(
      '',
      '### Representative disagreements',
      '',
      table(
        ['item', 'human', 'judge', 'human note', 'judge critique'],
        j.disagreements.map((x) => [
          `\`${x.externalId}\``,
          x.human,
          x.error ? `error (counted as ${x.judge})` : x.judge,
          x.note || '—',
          x.critique || '—',
        ]),
      ),
    )
  }
  out.push(
    '',
    '### Judge',
    '',
    `Model \`${profileField(j.model.model ?? j.model.provider ?? '—')}\`${j.model.baseUrl ? ` at \`${profileField(j.model.baseUrl)}\`` : ''} · parameters \`${JSON.stringify(j.params)}\` · ${j.fewshotItems} few-shot example(s) from train`,
    '',
    '```text',
    j.prompt,
    '```',
  )
  return out
}

/** The corrected production rate with its interval and everything needed to recompute it. */
function estimateTable(e: EstimateView): string {
  return table(
    ['', ''],
    [
      ['raw judge pass rate (p_obs)', `${f3(e.pObs)} (${e.counts.k} of ${e.counts.m})`],
      ['corrected success rate θ̂', `**${f3(e.theta)}**${e.clipped ? ` (unclipped ${f3(e.thetaUnclipped)})` : ''}`],
      [`${Math.round(e.confidence * 100)}% interval`, `**[${f3(e.lower)}, ${f3(e.upper)}]** — ${e.method}`],
      [
        'method details',
        `${e.iterations !== null ? `B = ${e.iterations}, dropped draws ${e.nDropped ?? 0}, ` : ''}seed ${e.seed}, PRNG ${e.prng}, confidence ${e.confidence}`,
      ],
      [
        'test TPR / TNR used',
        `${f3(e.tpr)} / ${f3(e.tnr)} (tp ${e.counts.tp}, fn ${e.counts.fn}, tn ${e.counts.tn}, fp ${e.counts.fp})`,
      ],
      ['error verdicts', estimateErrorsText(e)],
    ],
  )
}

/** What the report says about the whole project: failure modes, criteria, data, reproducibility. */
function projectSections(data: ReportData): string[] {
  const out = ['', '## Failure modes', '']
  out.push(
    data.taxonomy.modes.length === 0
      ? 'No failure modes defined.'
      : table(
          ['failure mode', 'traces', `share of ${data.taxonomy.reviewed} reviewed`, '95% Wilson interval'],
          data.taxonomy.modes.map((m) => [
            m.name,
            m.count,
            pct(m.rate.estimate),
            `${pct(m.rate.lower)}–${pct(m.rate.upper)}`,
          ]),
        ),
  )
  out.push(
    '',
    '## Criteria',
    '',
    table(
      ['criterion', 'version', 'labeled', 'definition'],
      data.criteria.map((c) => [c.name, c.version, c.labeled, c.definition]),
    ),
  )
  out.push(
    '',
    '## Data',
    '',
    table(
      ['dataset', 'format', 'rows', 'imported'],
      data.project.datasets.map((s) => [s.name, s.format, s.rows, s.createdAt.slice(0, 10)]),
    ),
  )
  out.push(
    '',
    '## Reproducibility',
    '',
    `- Assay ${data.app.version}`,
    `- project file \`${data.project.file}\`, SHA-256 \`${data.project.sha256}\``,
    `- generated ${data.generatedAt}`,
  )
  for (const j of data.judges) if (j.command) out.push(`- ${j.name}: \`${j.command}\``)
  return out
}

function matrix(m: Matrix): string {
  return `**${m.split} split**\n\n${table(
    ['', 'judge: pass', 'judge: fail'],
    [
      ['human: pass', m.tp, m.fn],
      ['human: fail', m.fp, m.tn],
    ],
  )}\n\nTPR ${rateText(m.tpr, 'Pass')} · TNR ${rateText(m.tnr, 'Fail')}${m.errors ? ` · ${matrixErrorsText(m)}` : ''}`
}

/** Rogan–Gladen beside PPI++ and the production audit, as a Markdown table with the disagreement and the strata. */
function alternativesTable(a: Alternatives): string {
  const rows = alternativeRows(a).map((r) =>
    r.estimate
      ? `| ${r.name} | ${f3(r.estimate.theta)} | [${f3(r.estimate.lower)}, ${f3(r.estimate.upper)}] ${r.estimate.interval} | ${r.estimate.labels} | ${f3(r.widthRatio)} | ${r.assumes} |`
      : `| ${r.name} | — | ${r.why ?? ''} | | | ${r.assumes} |`,
  )
  const audit = a.audit
    ? [
        `Audit #${a.audit.id} (seed ${a.audit.seed}): ${a.audit.strata.map((s) => `${s.name} N = ${s.N}, ${s.n} labeled (${s.humanPass} pass)`).join('; ')}.`,
      ]
    : []
  return [
    '| estimator | θ̂ | interval | labels used | width ÷ Rogan–Gladen | assumes |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => r.replaceAll('\n', ' ')),
    ...(a.disagreement ? ['', `⚠ ${a.disagreement}`] : []),
    ...a.ppiWarnings.map((w) => `\n⚠ PPI++: ${w}`),
    ...(audit.length ? ['', ...audit] : []),
  ].join('\n')
}
