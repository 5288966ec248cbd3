/**
 * `assay judge`: list, create and run judges from the command line, with the same core as the
 * Judges screen. A run resumes by default: the newest unfinished run of the same version and
 * scope continues where it stopped (a killed run repeats no finished call).
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { AppError } from '../../shared/errors'
import { ModelProfile, ModelSnapshot, RUN_SCOPES, type RunScope, type RunView } from '../../shared/judges'
import { openContext, type ProjectContext } from '../core/context'
import { assertWritable } from '../core/db/open'
import { clientFor, fileKeyStore } from '../core/judge/keys'
import { judgeByName, judgeOf, listJudges } from '../core/judge/context'
import { createJudge, saveVersion } from '../core/judge/judges'
import { executeRun } from '../core/judge/execute'
import { createRun, unfinishedRun, versionForRun } from '../core/judge/runs'
import { createSettingsStore, defaultSettingsDir } from '../core/settings'
import { CliError, type CliIo, type Command } from './command'

const usage = `Usage: assay judge list|create|run PROJECT [options]

  assay judge list PROJECT [--json]
  assay judge create PROJECT --criterion NAME --name NAME (--profile ID | --base-url URL --model M)
                     [--prompt-file FILE] [--param KEY=VALUE ...] [--no-structured] [--json]
  assay judge run PROJECT --judge NAME [--version V] --scope dev|test|unlabeled|all|train
                  [--concurrency N] [--base-url URL] [--model M] [--confirm-test]
                  [--batch [--poll-seconds S]] [--retry-errors] [--new] [--progress] [--json]

list     every judge: criterion, versions.
create   a judge for a criterion; version 1 has the default template (critique first, then a
         Pass/Fail verdict as JSON) with up to two train examples of each class, or --prompt-file.
run      runs a judge version (the latest unless --version) over a scope through any
         OpenAI-compatible endpoint, and prints a summary: pass, fail, error, tokens, cost,
         cache hits, duration. An unfinished run of the same version and scope is resumed
         (--new starts a fresh one; answers already cached cost nothing either way).
         --base-url or --model other than the version's make a new version (every change of
         model is recorded). The test split is locked: a scope with test items needs
         --confirm-test and counts as one more test evaluation of the version.

  --profile ID      a model profile saved in Settings ($ASSAY_HOME/settings.json)
  --concurrency N   requests in flight (default 8)
  --batch           through the endpoint's Batch API (OpenAI: half price, answers within 24 h):
                    one upload, then it waits; Ctrl+C stops waiting, and running the same command
                    again collects the same batch's answers (a resumed run keeps its mode)
  --poll-seconds S  with --batch: how often to ask whether the batch has ended (default 30)
  --retry-errors    call again the items whose verdict is an error
  --progress        print progress on standard error
  --json            print one JSON object

API key: the profile's key file ($ASSAY_HOME/keys/<profile id>, mode 600), else the profile's
environment variable, else OPENAI_API_KEY. A local endpoint (localhost) needs none.`

const OPTIONS = {
  criterion: { type: 'string' },
  name: { type: 'string' },
  profile: { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'prompt-file': { type: 'string' },
  param: { type: 'string', multiple: true },
  'no-structured': { type: 'boolean', default: false },
  judge: { type: 'string' },
  version: { type: 'string' },
  scope: { type: 'string' },
  batch: { type: 'boolean', default: false },
  'poll-seconds': { type: 'string', default: '30' },
  concurrency: { type: 'string', default: '8' },
  'confirm-test': { type: 'boolean', default: false },
  'retry-errors': { type: 'boolean', default: false },
  new: { type: 'boolean', default: false },
  progress: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options']

export const judgeCommand: Command = {
  summary: 'list, create and run LLM judges against any OpenAI-compatible endpoint',
  usage,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: OPTIONS })
    const [action, file, ...rest] = positionals
    if (!action || !['list', 'create', 'run'].includes(action))
      throw new CliError('bad_arguments', 'judge needs an action: list, create or run (see `assay judge --help`).')
    if (!file || rest.length > 0)
      throw new CliError(
        'bad_arguments',
        `judge ${action} needs one PROJECT, e.g. \`assay judge ${action} evals.assay\`.`,
      )
    const d = openContext(resolve(io.cwd, file))
    try {
      if (action !== 'list') assertWritable(d) // create and run write to the project
      if (action === 'list') {
        const judges = listJudges(d)
        io.stdout(
          values.json
            ? `${JSON.stringify(judges)}\n`
            : judges.length
              ? judges.map((j) => `${j.name}\t${j.criterion}\tversions ${j.versions}\n`).join('')
              : 'No judges yet: `assay judge create`.\n',
        )
        return 0
      }
      if (action === 'create') return create(d, values, io)
      return await run(d, values, io)
    } finally {
      d.close()
    }
  },
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values']

function settingsOf(io: CliIo) {
  const dir = defaultSettingsDir(io.env)
  return { settings: createSettingsStore(dir), keys: fileKeyStore(join(dir, 'keys')) }
}

/** The model a command line names: a saved profile, or one made of --base-url and --model. */
function modelOf(values: Values, io: CliIo, base?: ModelSnapshot): ModelSnapshot | null {
  if (values.profile) {
    const p = settingsOf(io)
      .settings.profiles()
      .find((x) => x.id === values.profile)
    if (!p)
      throw new CliError(
        'not_found',
        `There is no model profile "${values.profile}" in ${defaultSettingsDir(io.env)}/settings.json.`,
      )
    return ModelSnapshot.parse(p)
  }
  if (!values['base-url'] && !values.model) return null
  const url = values['base-url'] ?? base?.baseUrl
  const model = values.model ?? base?.model
  if (!url || !model) throw new CliError('bad_arguments', 'A model needs both --base-url and --model (or --profile).')
  // A name that was only the old model id follows the new one.
  const name = base?.name && base.name !== base.model ? base.name : model
  const parsed = ModelProfile.safeParse({
    ...base,
    id: base?.id || 'cli',
    name,
    baseUrl: url,
    model,
    structuredOutputs: base?.structuredOutputs ?? !values['no-structured'],
  })
  if (!parsed.success)
    throw new CliError(
      'bad_arguments',
      parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
    )
  return ModelSnapshot.parse(parsed.data)
}

function paramsOf(values: Values): Record<string, number | string | boolean> {
  const params: Record<string, number | string | boolean> = { temperature: 0 }
  for (const p of values.param ?? []) {
    const eq = p.indexOf('=')
    if (eq < 1) throw new CliError('bad_arguments', `--param takes KEY=VALUE, got "${p}".`)
    const raw = p.slice(eq + 1)
    params[p.slice(0, eq)] =
      raw === 'true'
        ? true
        : raw === 'false'
          ? false
          : Number.isFinite(Number(raw)) && raw.trim() !== ''
            ? Number(raw)
            : raw
  }
  return params
}

function create(d: ProjectContext, values: Values, io: CliIo): number {
  if (!values.criterion || !values.name)
    throw new CliError('bad_arguments', 'judge create needs --criterion NAME and --name NAME.')
  const criterion = d.repos.criteria.list().find((c) => c.name === values.criterion)
  if (!criterion)
    throw new CliError(
      'not_found',
      `There is no criterion "${values.criterion}". Criteria: ${d.repos.criteria
        .list()
        .map((c) => `"${c.name}"`)
        .join(', ')}.`,
    )
  const model = modelOf(values, io)
  if (!model)
    throw new CliError('bad_arguments', 'judge create needs a model: --profile ID, or --base-url URL and --model M.')
  const params = paramsOf(values)
  const judge = createJudge(d, { criterionId: criterion.id, name: values.name, model, params })
  if (values['prompt-file']) {
    const v = d.repos.judges.versions(judge.id)[0]
    saveVersion(d, {
      judgeId: judge.id,
      prompt: readFileSync(resolve(io.cwd, values['prompt-file']), 'utf8'),
      model,
      params,
      fewshotIds: JSON.parse(v.fewshot_ids) as number[],
    })
  }
  const latest = judgeOf(d, judge.id)
  io.stdout(
    values.json
      ? `${JSON.stringify(latest)}\n`
      : `Created judge "${latest.name}" on "${latest.criterion}" (version ${latest.latest}).\n`,
  )
  return 0
}

/** What `judge run` was asked for, checked: the judge, the scope, the concurrency and how often a batch is polled. */
function runArgs(values: Values): { judgeName: string; scope: RunScope; concurrency: number; pollSeconds: number } {
  if (!values.judge) throw new CliError('bad_arguments', 'judge run needs --judge NAME (see `assay judge list`).')
  const scope = values.scope as RunScope | undefined
  if (!scope || !RUN_SCOPES.includes(scope) || scope === 'selection')
    throw new CliError(
      'bad_arguments',
      `--scope must be one of train, dev, test, unlabeled, all; got "${values.scope ?? ''}".`,
    )
  const concurrency = Number(values.concurrency)
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new CliError(
      'bad_arguments',
      `--concurrency must be a whole number from 1 to 64, got "${values.concurrency}".`,
    )
  const pollSeconds = Number(values['poll-seconds'])
  if (!(pollSeconds > 0))
    throw new CliError(
      'bad_arguments',
      `--poll-seconds must be a number of seconds above 0, got "${values['poll-seconds']}".`,
    )
  return { judgeName: values.judge, scope, concurrency, pollSeconds }
}

async function run(d: ProjectContext, values: Values, io: CliIo): Promise<number> {
  const { judgeName, scope, concurrency, pollSeconds } = runArgs(values)
  const judge = judgeByName(d, judgeName)
  const versions = d.repos.judges.versions(judge.id)
  let version = values.version ? versions.find((v) => String(v.version) === values.version) : versions.at(-1)
  if (!version)
    throw new CliError(
      'not_found',
      `"${judge.name}" has no version ${values.version} (it has ${versions.map((v) => v.version).join(', ')}).`,
    )
  const base = versionForRun(d, version.id).run
  const override = modelOf(values, io, base.model)
  if (override && (override.baseUrl !== base.model.baseUrl || override.model !== base.model.model || values.profile)) {
    const saved = saveVersion(d, {
      judgeId: judge.id,
      prompt: version.prompt,
      model: override,
      params: JSON.parse(version.params_json) as Record<string, number | string | boolean>,
      fewshotIds: JSON.parse(version.fewshot_ids) as number[],
    }).version.id
    version = d.repos.judges.version(saved)
    if (!version) throw new CliError('not_found', `Version ${saved} of "${judge.name}" was not saved.`)
  }
  const { keys, settings } = settingsOf(io)
  // A --base-url typed here is the user's own choice of endpoint: OPENAI_API_KEY may go to it.
  const client = clientFor(versionForRun(d, version.id).run.model, {
    store: keys,
    env: io.env,
    profiles: settings.profiles(),
    chosenEndpoint: values['base-url'] !== undefined,
  })
  const previous = values.new ? null : unfinishedRun(d, version.id, scope)
  const runId =
    previous ??
    createRun(d, {
      versionId: version.id,
      scope,
      confirmTest: values['confirm-test'],
      concurrency,
      batch: values.batch,
    })
  const controller = new AbortController()
  const stop = () => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  const started = performance.now()
  let last = 0
  try {
    const result = await executeRun(d, runId, {
      client,
      signal: controller.signal,
      concurrency,
      retryErrors: values['retry-errors'],
      batchPollMs: pollSeconds * 1000,
      onProgress: (r) => {
        if (!values.progress || performance.now() - last < 1000) return
        last = performance.now()
        io.stderr(
          `run ${r.id}: ${r.done}/${r.total} (${r.pass} pass, ${r.fail} fail, ${r.errors} error, ${r.cached} cached)\n`,
        )
      },
    })
    const summary = summaryOf(
      d,
      result,
      judge.name,
      version.version,
      scope,
      previous !== null,
      Math.round(performance.now() - started),
    )
    io.stdout(values.json ? `${JSON.stringify(summary)}\n` : text(summary))
    return result.status === 'done' ? 0 : 1
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.kind, error.message)
    throw error
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

function summaryOf(
  d: ProjectContext,
  r: RunView,
  judge: string,
  version: number,
  scope: RunScope,
  resumed: boolean,
  durationMs: number,
) {
  const errors = d.repos.judges.runErrors(r.id, 20)
  return {
    run: r.id,
    judge,
    version,
    scope,
    mode: r.mode,
    batchId: r.batchId,
    status: r.status,
    resumed,
    total: r.total,
    done: r.done,
    pass: r.pass,
    fail: r.fail,
    error: r.errors,
    cached: r.cached,
    tokensIn: r.tokensIn,
    tokensOut: r.tokensOut,
    costUsd: Number(r.costUsd.toFixed(6)),
    durationMs,
    errors,
  }
}

function text(s: ReturnType<typeof summaryOf>): string {
  const lines = [
    `Run ${s.run} of "${s.judge}" v${s.version} on ${s.scope}${s.mode === 'batch' ? ' through the Batch API' : ''}${s.resumed ? ' (resumed)' : ''}: ${s.status}, ${s.done} of ${s.total} items.`,
    ...(s.batchId ? [`  batch ${s.batchId} is still running: run the same command again to collect its answers.`] : []),
    `  pass ${s.pass}   fail ${s.fail}   error ${s.error}   cache hits ${s.cached}`,
    `  tokens ${s.tokensIn} in, ${s.tokensOut} out   cost $${s.costUsd.toFixed(4)}   ${(s.durationMs / 1000).toFixed(1)} s`,
    ...s.errors.map((e) => `  error ${e.id}: ${e.reason}`),
  ]
  return `${lines.join('\n')}\n`
}
