/**
 * Production audits over real project files (issue 18): the draw is stratified by the judge's
 * verdict and seeded, queued as a blind session; only the drawn items' labels enter the stratified
 * estimate; drawn items stay in production (no split); an audit is extended while production is
 * unchanged; PPI++ is refused when the test labels were not chosen at random.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startAudit, auditView } from '../../electron/core/audit'
import { calibrate } from '../../electron/core/calibrate'
import { createSession, saveLabel } from '../../electron/core/labeling'
import { CalibrateRequest } from '../../shared/calibrate'
import { stratifiedEstimate } from '../../shared/stats/stratified'
import { tempDir } from '../helpers/paths'
import { reportProject } from '../helpers/report-project'

describe('production audit', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir()))
  afterEach(() => tmp.cleanup())

  const project = () => reportProject(tmp.file('a.assay'), { splits: ['train', 'dev', 'test', 'unlabeled'] })
  /** The version's verdicts on items with no train/dev/test label. */
  const production = (d: ReturnType<typeof project>) =>
    d.repos.judges.latestVerdicts(d.versionId).filter((v) => d.repos.splits.of(d.criterionId, v.itemId) === null)
  /** Labels one item pass in a random session of its own: a label chosen for another reason than the audit. */
  function passInOwnSession(d: ReturnType<typeof project>, itemId: number) {
    const s = createSession(d, {
      criterionId: d.criterionId,
      order: 'random',
      seed: 1,
      size: 1,
      blind: true,
      ids: [itemId],
      step: null,
      stratifyKey: null,
    })
    saveLabel(d, { sessionId: s.id, itemId, verdict: 'pass', note: '', firstFailingStep: null })
  }
  /** Labels every item of a session: pass when `pass(externalId)`. */
  function labelAll(d: ReturnType<typeof project>, sessionId: number, ids: number[], pass: (id: number) => boolean) {
    for (const itemId of ids)
      saveLabel(d, { sessionId, itemId, verdict: pass(itemId) ? 'pass' : 'fail', note: '', firstFailingStep: null })
  }

  it('draws a seeded sample stratified by the verdict into a blind audit session', () => {
    const d = project()
    const started = startAudit(d, { versionId: d.versionId, size: 12 })
    const { audit, session } = started
    expect(audit.strata.map((s) => [s.name, s.N])).toEqual([
      ['judge pass', 15],
      ['judge fail', 5],
    ])
    expect(audit.drawn).toBe(12)
    for (const s of audit.strata) expect(s.drawn).toBeGreaterThan(0)
    expect(audit.strata.reduce((n, s) => n + s.drawn, 0)).toBe(12)
    expect(session.settings.order).toBe('audit')
    expect(session.settings.blind).toBe(true)
    expect(session.items).toHaveLength(12)
    // Only production items (no train/dev/test label) are drawn.
    for (const i of session.items) expect(i.externalId >= 'chat-00164').toBe(true)
    // Label next: the first items come from the stratum whose label removes the most variance (the larger one,
    // with no labels yet), and the smaller one follows before the larger is used up.
    const verdictOf = new Map(d.repos.judges.latestVerdicts(d.versionId).map((v) => [v.itemId, v.verdict]))
    const order = session.items.map((i) => verdictOf.get(i.id))
    expect(order[0]).toBe('pass')
    expect(order.slice(0, 6)).toContain('fail')
    expect(audit.estimate).toBeNull()
    expect(audit.refusal).toMatch(/Label at least one drawn item of every stratum/)
    // The same seed on a fresh copy draws the same items.
    const other = reportProject(tmp.file('b.assay'), { splits: ['train', 'dev', 'test', 'unlabeled'] })
    expect(startAudit(other, { versionId: other.versionId, size: 12 }).session.items.map((i) => i.externalId)).toEqual(
      session.items.map((i) => i.externalId),
    )
    d.close()
    other.close()
  })

  it('estimates from the drawn items only, which stay in production', () => {
    const d = project()
    const { session } = startAudit(d, { versionId: d.versionId, size: 12 })
    const drawn = session.items.map((i) => i.id)
    labelAll(d, session.id, drawn, (id) => id % 3 !== 0)
    // A production item labeled in another session, chosen for another reason, does not enter the audit.
    const outside = production(d).find((v) => v.verdict === 'fail' && !drawn.includes(v.itemId))!
    passInOwnSession(d, outside.itemId)

    const view = auditView(d, d.versionId, 0.95)!
    expect(view.labeled).toBe(12)
    const expected = stratifiedEstimate(view.estimateInput.strata, 0.95)
    expect(view.estimate).toMatchObject({
      theta: expected.theta,
      lower: expected.lower,
      upper: expected.upper,
      labels: 12,
    })
    const byName = new Map(view.strata.map((s) => [s.name, s]))
    const verdictOf = new Map(d.repos.judges.latestVerdicts(d.versionId).map((v) => [v.itemId, v.verdict]))
    for (const name of ['judge pass', 'judge fail'] as const) {
      const ids = drawn.filter((id) => `judge ${verdictOf.get(id)}` === name)
      expect(byName.get(name)).toMatchObject({ n: ids.length, humanPass: ids.filter((id) => id % 3 !== 0).length })
    }
    // Audited items get no split; the item labeled outside the audit does (it is an ordinary label).
    for (const id of drawn) expect(d.repos.splits.of(d.criterionId, id)).toBeNull()
    expect(d.repos.splits.of(d.criterionId, outside.itemId)).not.toBeNull()
    // Calibrate counts the audited items in production still (19 = 20 − the one placed in a split).
    const cal = calibrate(d, CalibrateRequest.parse({ versionId: d.versionId, revealTest: true }))
    expect(cal.production.m).toBe(19)
    expect(cal.alternatives.audit?.estimate?.theta).toBe(expected.theta)
    d.close()
  })

  it('extends the audit while production is unchanged, and starts a new one when it changed', () => {
    const d = project()
    const first = startAudit(d, { versionId: d.versionId, size: 8 })
    const more = startAudit(d, { versionId: d.versionId, size: 4 })
    expect(more.audit.id).toBe(first.audit.id)
    expect(more.audit.drawn).toBe(12)
    const a = new Set(first.session.items.map((i) => i.id))
    for (const i of more.session.items) expect(a.has(i.id)).toBe(false)
    // A production item labeled outside the audit joins a split: production changed, so a new audit.
    const outside = production(d).find((v) => !a.has(v.itemId) && !more.session.items.some((i) => i.id === v.itemId))!
    passInOwnSession(d, outside.itemId)
    const fresh = startAudit(d, { versionId: d.versionId, size: 4 })
    expect(fresh.audit.id).not.toBe(first.audit.id)
    expect(fresh.audit.strata.reduce((n, x) => n + x.N, 0)).toBe(19)
    d.close()
  })

  it('refuses to draw from a version with no production verdicts, and says what to do', () => {
    const d = reportProject(tmp.file('c.assay'), { splits: ['dev', 'test'] })
    expect(() => startAudit(d, { versionId: d.versionId, size: 5 })).toThrow(
      /no verdicts on production items: run it on the unlabeled items/,
    )
    d.close()
  })

  it('offers PPI++ for test labels of random or unknown origin, and refuses it after a verdict-stratified session', () => {
    const d = project()
    const request = CalibrateRequest.parse({ versionId: d.versionId, revealTest: true })
    const before = calibrate(d, request).alternatives
    expect(before.ppiRefusal).toBeNull()
    expect(before.ppi?.labels).toBe(10)
    expect(before.ppiInput).toEqual({ tp: 4, fn: 1, fp: 1, tn: 4, k: 15, m: 20 })
    // Re-label the test items in a session stratified by the judge's verdict.
    const test = d.repos.splits.labeled(d.criterionId).filter((r) => r.split === 'test')
    const s = createSession(d, {
      criterionId: d.criterionId,
      order: 'stratified-judge',
      seed: 1,
      size: 10,
      blind: true,
      ids: test.map((r) => r.itemId),
      step: null,
      stratifyKey: null,
    })
    for (const r of test)
      saveLabel(d, {
        sessionId: s.id,
        itemId: r.itemId,
        verdict: r.verdict === 'fail' ? 'fail' : 'pass',
        note: '',
        firstFailingStep: null,
      })
    const after = calibrate(d, request).alternatives
    expect(after.ppi).toBeNull()
    expect(after.ppiRefusal).toMatch(
      /PPI\+\+ is not offered: 10 of the 10 test labels were not chosen at random \(10 by order "Stratified by judge verdict"\)/,
    )
    expect(after.roganGladen).not.toBeNull()
    d.close()
  })
})
