/**
 * `assay criterion`: list, add, rename and define the criteria of a project from the command
 * line, through the same core as the Label setup and the Analyze screen.
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { CriterionInfo } from '../../shared/domain'
import { addCriterion, criterionNamed, defineCriterion, listCriteria, renameCriterion } from '../core/criteria'
import { openContext } from '../core/context'
import { assertWritable } from '../core/db/open'
import { CliError, type CliIo, type Command } from './command'

const usage = `Usage: assay criterion list|add|rename|define PROJECT …

  assay criterion list PROJECT [--json]
  assay criterion add PROJECT NAME [--definition TEXT] [--json]
  assay criterion rename PROJECT NAME NEW_NAME [--json]
  assay criterion define PROJECT NAME DEFINITION [--json]

A criterion is one pass/fail question about a trace. Every project has "Overall" (did the
system do what the user asked?); a criterion added beside it is also a failure mode of the
taxonomy (a fail means the failure is present), and a judge can be built for it.

list     every criterion: name, kind, version, labeled items and its definition.
add      a new criterion with its first definition (version 1).
rename   a new name (labels, splits and judges stay with the criterion). "Overall" and
         step-level criteria ("Overall · retrieve") keep their names.
define   a new definition: a new version; labels made under an older one are flagged
         "needs re-review" (a table filter and a session order).

  --definition TEXT  with add: the one-sentence definition (default: none yet)
  --json             print JSON (list: an array; the others: the criterion as it is now)`

const ACTIONS = ['list', 'add', 'rename', 'define'] as const
type Action = (typeof ACTIONS)[number]
/** Positionals after PROJECT that each action takes. */
const ARITY: Record<Action, string[]> = {
  list: [],
  add: ['NAME'],
  rename: ['NAME', 'NEW_NAME'],
  define: ['NAME', 'DEFINITION'],
}

export const criterionCommand: Command = {
  summary: 'list, add, rename and define the criteria labels and judges are about',
  usage,
  run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { definition: { type: 'string' }, json: { type: 'boolean', default: false } },
    })
    const [action, file, ...rest] = positionals
    if (!isAction(action))
      throw new CliError(
        'bad_arguments',
        'criterion needs an action: list, add, rename or define (see `assay criterion --help`).',
      )
    const wanted = ARITY[action]
    if (!file || rest.length !== wanted.length)
      throw new CliError(
        'bad_arguments',
        `criterion ${action} takes PROJECT${wanted.map((w) => ` ${w}`).join('')}, e.g. \`assay criterion ${action} evals.assay${EXAMPLE[action]}\`.`,
      )
    if (values.definition !== undefined && action !== 'add')
      throw new CliError(
        'bad_arguments',
        `--definition goes with add; to change a definition: \`assay criterion define PROJECT NAME "…"\`.`,
      )
    const d = openContext(resolve(io.cwd, file))
    try {
      if (action !== 'list') assertWritable(d)
      if (action === 'list') return printList(listCriteria(d), values.json, io)
      const [name, value = ''] = rest as [string, string?]
      const result =
        action === 'add'
          ? addCriterion(d, { name, definition: values.definition ?? '' })
          : action === 'rename'
            ? renameCriterion(d, criterionNamed(d, name).id, value)
            : defineCriterion(d, criterionNamed(d, name).id, value)
      const said = {
        add: `Added "${result.name}" (v${result.version}).`,
        rename: `Renamed "${name}" to "${result.name}".`,
        define: `"${result.name}" is now at v${result.version}: ${result.definition}`,
      }[action]
      io.stdout(values.json ? `${JSON.stringify(result)}\n` : `${said}\n`)
      return 0
    } finally {
      d.close()
    }
  },
}

const EXAMPLE: Record<Action, string> = {
  list: '',
  add: ' "Follows dietary constraints" --definition "The answer respects every dietary restriction the user stated."',
  rename: ' "Diet" "Follows dietary constraints"',
  define: ' Overall "The system fully and correctly did what the user asked."',
}

const isAction = (a: string | undefined): a is Action => (ACTIONS as readonly string[]).includes(a ?? '')

function printList(criteria: CriterionInfo[], json: boolean, io: CliIo): number {
  if (json) {
    io.stdout(`${JSON.stringify(criteria)}\n`)
    return 0
  }
  const kind = (c: CriterionInfo) =>
    c.kind === 'overall' ? 'overall' : c.step !== null ? `step ${c.step}` : 'failure mode'
  io.stdout(
    criteria
      .map(
        (c) => `${c.name}\t${kind(c)}\tv${c.version}\t${c.labeled} labeled\t${c.definition || '(no definition yet)'}\n`,
      )
      .join(''),
  )
  return 0
}
