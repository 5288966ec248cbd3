/**
 * `assay audit` and `assay export --audit` (issue 18): the draw from the command line, the audit's
 * status, the counts the stratified estimator reads, and what each says when something is missing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { auditView } from '../../electron/core/audit'
import { openContext } from '../../electron/core/context'
import { saveLabel } from '../../electron/core/labeling'
import { runCli } from '../helpers/cli'
import { tempDir } from '../helpers/paths'
import { reportProject } from '../helpers/report-project'

describe('assay audit', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeEach(() => (tmp = tempDir()))
  afterEach(() => tmp.cleanup())

  it('draws a blind session for an annotator, shows its status, and exports the strata counts', async () => {
    const file = tmp.file('a.assay')
    reportProject(file, { splits: ['train', 'dev', 'test', 'unlabeled'] }).close()
    const none = await runCli(['export', file, '--audit', '--judge', 'Recorded judge'], tmp.dir)
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/has no audit yet: draw one with `assay audit PROJECT --judge "Recorded judge"`/)

    const drawn = await runCli(
      ['audit', file, '--judge', 'Recorded judge', '--size', '10', '--annotator', 'ann-2', '--json'],
      tmp.dir,
    )
    expect(drawn.code).toBe(0)
    const out = drawn.json() as { sessionId: number; items: string[]; audit: { drawn: number } }
    expect(out.items).toHaveLength(10)
    expect(out.audit.drawn).toBe(10)

    // Label them as ann-2 (the session is theirs), then the status and the export agree with the core.
    const d = openContext(file, { annotator: () => 'ann-2' })
    const session = d.repos.sessions.get(out.sessionId)!
    expect(session.annotator).toBe('ann-2')
    for (const itemId of session.queue)
      saveLabel(d, {
        sessionId: session.id,
        itemId,
        verdict: itemId % 2 ? 'pass' : 'fail',
        note: '',
        firstFailingStep: null,
      })
    const versionId = d.repos.judges.versions(d.repos.judges.list()[0].id).at(-1)!.id
    const view = auditView(d, versionId, 0.95)!
    d.close()

    const status = await runCli(['audit', file, '--judge', 'Recorded judge', '--status', '--json'], tmp.dir)
    expect(status.json()).toMatchObject({ labeled: 10, estimate: { theta: view.estimate!.theta } })
    const text = await runCli(['audit', file, '--judge', 'Recorded judge', '--status'], tmp.dir)
    expect(text.stdout).toMatch(/judge pass\s+N = 15\s+drawn \d+\s+labeled \d+/)
    expect(text.stdout).toMatch(/Audit estimate {2}\d+\.\d%/)
    const counts = await runCli(['export', file, '--audit', '--judge', 'Recorded judge'], tmp.dir)
    expect(counts.json()).toEqual(view.estimateInput)
  })

  it('says what is wrong: no judge, a bad size, --judgy with --audit', async () => {
    const file = tmp.file('b.assay')
    reportProject(file, { splits: ['test', 'unlabeled'] }).close()
    const noJudge = await runCli(['audit', file, '--judge', 'nope'], tmp.dir)
    expect(noJudge.code).toBe(1)
    expect(noJudge.stderr).toMatch(/There is no judge named "nope"\. Judges: "Recorded judge"/)
    const size = await runCli(['audit', file, '--judge', 'Recorded judge', '--size', 'ten'], tmp.dir)
    expect(size.stderr).toMatch(/--size must be a whole number, got "ten"/)
    const both = await runCli(['export', file, '--audit', '--judgy', '--judge', 'Recorded judge'], tmp.dir)
    expect(both.stderr).toMatch(/--judgy and --audit are two exports: choose one/)
    const noStatus = await runCli(['audit', file, '--judge', 'Recorded judge', '--status'], tmp.dir)
    expect(noStatus.stderr).toMatch(/has no audit yet: run `assay audit` without --status/)
  })
})
