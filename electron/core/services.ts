import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { AnyEvent, Method, Output, ParsedInput } from '../../shared/contract'
import type { ProjectInfo } from '../../shared/domain'
import { AppError } from '../../shared/errors'
import {
  corruptRefusal,
  integrityMessage,
  openProject,
  readOnlyNotice,
  readOnlyRefusal,
  sqliteCode,
  type Db,
  type OpenedProject,
  type ReadOnly,
} from './db/open'
import { LATEST_VERSION } from './db/migrations'
import { createRepos, type Repos } from './db/repos'
import { createImportService } from './import/service'
import { writeDemoProject } from './demo'
import { addCriterion, renameCriterion } from './criteria'
import {
  assignMode,
  countTaxonomy,
  createMode,
  deleteMode,
  listNotes,
  mergeModes,
  moveTraces,
  pinExample,
  renameMode,
} from './taxonomy'
import {
  agreementOn,
  createSession,
  getSession,
  labelingDeps,
  latestSession,
  saveLabel,
  tagItem,
  undoLabel,
  unlabeledOf,
  type LabelingDeps,
} from './labeling'
import { projectName, type SettingsStore } from './settings'
import { ModelSnapshot, type ModelProfile, type RunView } from '../../shared/judges'
import { clientFor, fileKeyStore, keyFor, type KeySources, type KeyStore } from './judge/keys'
import { openaiClient, type LlmClient } from './judge/llm'
import { calibrate, calibrationChoices, cellItems, setTargets } from './calibrate'
import { buildReport } from './report/build'
import { suggestModes } from './suggest'
import { chromiumPrinter } from './report/pdf'
import { reportHtml, reportJson, reportMarkdown, type PdfPrinter } from './report/render'
import { listJudges, type JudgeDeps } from './judge/context'
import { createJudge, judgeDetail, previewPrompt, saveVersion, verdictsOf, versionDiff } from './judge/judges'
import { createRun, estimateRun, executeRun, runOf, scopeCounts, versionForRun } from './judge/runs'
import { setSplitRatios } from './judge/splits'
import { exportFile, exportFilename, writeExportFile, type ExportFile } from './export-file'
import { createDownloads } from './downloads'

export interface ServiceDeps {
  shell: 'electron' | 'serve'
  version: string
  settings: SettingsStore
  clock: () => Date
  /** Pushes an event to every connected renderer. */
  emit: (event: AnyEvent) => void
  /** Where "Open demo project" writes its file. */
  demoPath: string
  nativeBinding?: string
  /** Where API keys live: safeStorage in Electron; key files in the settings folder by default. */
  keys?: KeyStore
  /** The environment API keys may come from (OPENAI_API_KEY); the process's by default. */
  env?: NodeJS.ProcessEnv
  /** Prints a report's HTML to PDF: Electron's printToPDF; headless Chromium by default. */
  printPdf?: PdfPrinter
  /** A native file dialog, where the shell has one. */
  pickFile?: (mode: 'open' | 'create' | 'import') => Promise<string | null>
  /** A native save dialog (File → Export…), suggesting a file name; null when cancelled. Without one, exports are downloads. */
  saveFile?: (filename: string) => Promise<string | null>
  /** How long after opening a project its background integrity check starts (default 1.5 s: after the first page). */
  integrityDelayMs?: number
}

export type Handlers = { [M in Method]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M> }

interface OpenProject {
  db: Db
  path: string
  repos: Repos
  /** Why the file can only be read; every change is refused with it. */
  readOnly: ReadOnly | null
}

/**
 * The object both shells call: one handler per contract method, over at most one open project.
 * Plain Node: everything it needs comes in through `deps`, so tests build it without Electron.
 */
export function createServices(deps: ServiceDeps) {
  const keys = deps.keys ?? fileKeyStore(join(deps.settings.dir, 'keys'))
  const env = deps.env ?? process.env
  let current: OpenProject | null = null

  const project = (): OpenProject => {
    if (!current) throw new AppError('no_project', 'No project is open. Open or create one from the Start screen.')
    return current
  }

  const info = (p: OpenProject): ProjectInfo => ({
    path: p.path,
    name: projectName(p.path),
    schemaVersion: LATEST_VERSION,
    synthetic: p.repos.project.meta('synthetic') === '1',
    readOnly: p.readOnly ? readOnlyNotice(p.path, p.readOnly) : null,
    ...p.repos.project.counts(),
  })

  /**
   * Opens a project in place of the current one. A file refused while opening (damaged, newer…)
   * never becomes current nor enters Recent; one whose damage the background check finds later
   * is closed then (`refuse`). `integrity: 'now'` checks before answering (the CLI's `serve FILE`).
   */
  const switchTo = (
    path: string,
    mode: 'open' | 'create',
    integrity: 'now' | 'background' = 'background',
  ): ProjectInfo => {
    const absolute = resolve(path)
    let opened: OpenedProject | null = null
    let next: OpenProject
    let result: ProjectInfo
    try {
      opened = openProject(absolute, {
        mode,
        nativeBinding: deps.nativeBinding,
        now: deps.clock,
        integrity,
        checkDelayMs: deps.integrityDelayMs ?? 1500,
      })
      next = { db: opened.db, path: absolute, repos: createRepos(opened.db), readOnly: opened.readOnly }
      if (mode === 'create') next.repos.project.setMeta('created_at', deps.clock().toISOString())
      result = info(next) // the first reads of the file: a damaged one may fail here
    } catch (error) {
      opened?.db.close()
      const refusal = corruptRefusal(error, absolute) ?? error
      // A damaged file leaves Recent too (it was there from an earlier, sound, opening).
      if (refusal instanceof AppError && refusal.kind === 'corrupt') deps.settings.forgetRecent(absolute)
      throw refusal
    }
    const checked = opened
    close()
    current = next
    void checked.integrity.then((problems) => {
      if (problems.length > 0) refuse(next, integrityMessage(absolute, problems))
    })
    deps.settings.touchRecent(absolute, deps.clock())
    deps.emit({ name: 'project.changed', payload: { project: result } })
    return result
  }

  /** Closes a project found damaged after it opened, takes it out of Recent, and tells every window why. */
  const refuse = (p: OpenProject, message: string): void => {
    if (current !== p) return // already closed or replaced: nothing is served from it
    close()
    deps.settings.forgetRecent(p.path)
    deps.emit({ name: 'project.changed', payload: { project: null } })
    deps.emit({ name: 'project.problem', payload: { path: p.path, message } })
  }

  /**
   * What a SQLite error from any call means for the user: damage closes the project (as the
   * background check does) and says what to do; a refused write says why the file cannot be
   * written. Anything else passes unchanged.
   */
  const translate = (error: unknown): unknown => {
    const p = current
    const code = sqliteCode(error)
    if (!p || !code) return error
    const damaged = corruptRefusal(error, p.path)
    if (damaged) {
      refuse(p, damaged.message)
      return damaged
    }
    if (code.startsWith('SQLITE_READONLY')) {
      return new AppError(
        'read_only',
        p.readOnly
          ? readOnlyRefusal(p.path, p.readOnly)
          : `${p.path} could not be written (${(error as Error).message}). Check that the file and its folder are writable, or copy it to a folder you can write and open the copy.`,
      )
    }
    return error
  }

  const close = (): void => {
    for (const controller of running.values()) controller.abort()
    running.clear()
    current?.db.close()
    current = null
  }

  const imports = createImportService({
    projectPath: () => project().path,
    db: () => project().db,
    emit: deps.emit,
    nativeBinding: deps.nativeBinding,
    clock: deps.clock,
  })
  // An import holds the write lock on its own connection until it commits; a write made
  // meanwhile waits for it here (the renderer shows the label as saving) instead of blocking the
  // process in SQLite's busy timeout and failing. Reads go ahead: WAL lets them.
  let importing: Promise<unknown> | null = null
  const labeling = (): LabelingDeps => {
    const p = project()
    return labelingDeps(p.db, p.repos, deps.settings.user().annotator, deps.clock())
  }
  const untilImported = async (): Promise<void> => {
    while (importing) await importing.catch(() => undefined)
  }
  /** Refuses any change to a project opened read-only, with why and what to do. */
  const writable = (): OpenProject => {
    const p = project()
    if (p.readOnly) throw new AppError('read_only', readOnlyRefusal(p.path, p.readOnly))
    return p
  }
  /** The gate of every change: the project can be written, and an import in progress has committed. */
  const writing = async (): Promise<LabelingDeps> => {
    writable()
    await untilImported()
    return labeling()
  }

  /** Keys come from the user's settings and environment only (never from a project's judge versions). */
  const keySources = (): KeySources => ({ store: keys, env, profiles: deps.settings.profiles() })
  // Judge runs in progress, by run id: cancel aborts them; closing the project aborts them all.
  const running = new Map<number, AbortController>()
  const judging = (): JudgeDeps => ({
    db: project().db,
    repos: project().repos,
    clock: deps.clock,
    onTestRevealed: (versionId) => deps.emit({ name: 'test.revealed', payload: { versionId } }),
  })
  const profile = (id: string): ModelProfile => {
    const found = deps.settings.profiles().find((p) => p.id === id)
    if (!found) throw new AppError('not_found', `There is no model profile "${id}": add it in Settings.`)
    return found
  }
  /** The client for a version's endpoint, checked before anything is written (no key: no run). */
  const clientOf = (versionId: number) => clientFor(versionForRun(judging(), versionId).run.model, keySources())
  /** Runs (or resumes) in the background; progress and the end are `judge.run` events. */
  const launch = (runId: number, client: LlmClient, concurrency: number, retryErrors: boolean): RunView => {
    if (running.has(runId)) throw new AppError('conflict', `Run ${runId} is already running.`)
    const d = judging()
    const controller = new AbortController()
    running.set(runId, controller)
    const emit = (payload: RunView) => deps.emit({ name: 'judge.run', payload })
    void executeRun(d, runId, {
      client,
      signal: controller.signal,
      concurrency,
      retryErrors,
      onProgress: emit,
      beforeWrite: untilImported,
    })
      .catch((error) => {
        const message = error instanceof Error ? error.message : String(error)
        try {
          emit({ ...runOf(d, runId, false), status: 'failed', error: message })
        } catch {
          // the project was closed meanwhile: nothing left to report to
        }
      })
      .finally(() => running.delete(runId))
    return runOf(d, runId, true)
  }

  /** Tells every window that human labels changed (live matrices), and passes the result on. */
  const changed = <T>(result: T): T => {
    deps.emit({ name: 'labels.changed', payload: {} })
    return result
  }

  // Exports under `assay serve`: a one-time link per export, streamed when the browser fetches it.
  const downloads = createDownloads(deps.clock)
  const exportSource = () => {
    const p = project()
    return {
      db: p.db,
      repos: p.repos,
      clock: deps.clock,
      path: p.path,
      readOnly: p.readOnly !== null,
      nativeBinding: deps.nativeBinding,
    }
  }
  const saveExport = async (file: ExportFile, path: string) => {
    const rows = await writeExportFile(file, path)
    return {
      via: 'saved' as const,
      path,
      message: [`Wrote ${file.describe(rows)} to ${path}.`, file.note].filter(Boolean).join(' '),
    }
  }

  const pick = async (mode: 'open' | 'create' | 'import') => {
    if (!deps.pickFile)
      throw new AppError('unsupported', 'This shell has no file dialog: type the path of the file instead.')
    return { path: await deps.pickFile(mode) }
  }

  const handlers: Handlers = {
    'app.info': () => ({
      version: deps.version,
      shell: deps.shell,
      canPickFiles: deps.pickFile !== undefined,
      demoPath: resolve(deps.demoPath),
    }),
    'project.current': () => (current ? info(current) : null),
    'project.recent': () => deps.settings.recent(),
    'project.open': ({ path }) => switchTo(path, 'open'),
    'project.create': ({ path }) => switchTo(path.endsWith('.assay') ? path : `${path}.assay`, 'create'),
    'project.openDemo': () => {
      if (!existsSync(deps.demoPath)) {
        mkdirSync(dirname(deps.demoPath), { recursive: true })
        writeDemoProject(deps.demoPath, { nativeBinding: deps.nativeBinding })
      }
      return switchTo(deps.demoPath, 'open')
    },
    'project.close': () => {
      close()
      deps.emit({ name: 'project.changed', payload: { project: null } })
      return null
    },
    'project.pick': ({ mode }) => pick(mode),
    'items.list': ({ offset, limit, search, filter, sort }) => ({
      offset,
      ...project().repos.items.list(offset, limit, { search, filter, sort }),
    }),
    'items.facets': () => project().repos.items.facets(),
    'items.ids': (query) => ({ ids: project().repos.items.ids(query) }),
    'items.get': ({ id }) => {
      const item = project().repos.items.get(id)
      if (!item) throw new AppError('not_found', `There is no item with id ${id} in this project.`)
      return item
    },
    'items.locate': ({ externalId, ...query }) => {
      const found = project().repos.items.locate(externalId, query)
      if (!found) throw new AppError('not_found', `No item has the id "${externalId}". Check the id, or search with /.`)
      if (found.index < 0)
        throw new AppError(
          'not_found',
          `Item "${externalId}" is hidden by the current search or filters. Clear them (f, then "clear"), then try again.`,
        )
      return found
    },
    'profiles.list': () => ({
      profiles: deps.settings.profiles().map((p) => ({ ...p, hasKey: safeHasKey(p) })),
      keysWhere: keys.where,
    }),
    'profiles.save': ({ profile: p, apiKey }) => {
      deps.settings.saveProfile(p)
      if (apiKey !== undefined) keys.set(p.id, apiKey && apiKey.trim() ? apiKey : null)
      return null
    },
    'profiles.delete': ({ id }) => {
      deps.settings.deleteProfile(id)
      keys.set(id, null)
      return null
    },
    'profiles.test': async ({ profile: p, apiKey }) => {
      // The profile as typed, unsaved: a typed key goes to the URL typed beside it (the user chose
      // it); otherwise keyFor's rule holds — a saved key only for its own profile's saved base URL.
      const snapshot = ModelSnapshot.parse(p)
      const typed = apiKey?.trim()
      try {
        const client = typed ? openaiClient(snapshot.baseUrl, typed) : clientFor(snapshot, keySources())
        const models = await client.models({ timeoutMs: Math.min(p.timeoutMs, 15_000) })
        const found = models.includes(p.model)
        return {
          ok: true,
          models,
          message: found
            ? `Connected to ${p.baseUrl}; model "${p.model}" is there.`
            : `Connected to ${p.baseUrl}, but it does not list "${p.model}"${models.length ? ` (it lists ${models.slice(0, 8).join(', ')}${models.length > 8 ? '…' : ''})` : ''}: check the model id.`,
        }
      } catch (error) {
        return { ok: false, models: [], message: error instanceof Error ? error.message : String(error) }
      }
    },
    'judges.list': () => listJudges(judging()),
    'judges.create': async ({ criterionId, name, profileId }) => {
      await writing()
      const p = profile(profileId)
      return createJudge(judging(), { criterionId, name, model: ModelSnapshot.parse(p), params: p.params })
    },
    'judges.get': async ({ id, revealVersion }) => {
      await untilImported() // it may give new labels their splits
      return judgeDetail(judging(), id, { revealVersion, activeRuns: new Set(running.keys()) })
    },
    'judges.save': async ({ profileId, ...input }) => {
      await writing()
      return saveVersion(judging(), { ...input, model: ModelSnapshot.parse(profile(profileId)) })
    },
    'judges.diff': ({ from, to }) => versionDiff(judging(), from, to),
    'judges.preview': (input) => previewPrompt(judging(), input),
    'judges.estimate': async (input) => {
      await untilImported() // it may give new labels their splits
      return estimateRun(judging(), input)
    },
    'judges.scopes': async ({ versionId }) => {
      await untilImported() // it may give new labels their splits
      return scopeCounts(judging(), versionId)
    },
    'judges.run': async ({ concurrency, ...input }) => {
      writable()
      await untilImported()
      const client = clientOf(input.versionId)
      return launch(createRun(judging(), { ...input, concurrency }), client, concurrency, false)
    },
    'judges.resume': async ({ runId, retryErrors, concurrency }) => {
      writable()
      await untilImported()
      return launch(runId, clientOf(runOf(judging(), runId, false).versionId), concurrency, retryErrors)
    },
    'judges.cancel': ({ runId }) => {
      const controller = running.get(runId)
      controller?.abort()
      return { cancelled: controller !== undefined }
    },
    'judges.verdicts': ({ versionId }) => verdictsOf(judging(), versionId),
    'judges.splits': async ({ criterionId, ratios }) => {
      await writing()
      return setSplitRatios(judging(), criterionId, ratios)
    },
    'taxonomy.suggest': async ({ profileId }) => {
      const p = profile(profileId)
      return {
        suggestions: await suggestModes(
          clientFor(ModelSnapshot.parse(p), keySources()),
          ModelSnapshot.parse(p),
          p.params,
          listNotes(labeling()),
        ),
      }
    },
    'calibrate.choices': () => calibrationChoices(judging()),
    'calibrate.get': async (request) => {
      await untilImported()
      return calibrate(judging(), request)
    },
    'calibrate.cell': (input) => cellItems(judging(), input),
    'calibrate.targets': async ({ criterionId, targets }) => {
      await writing()
      return setTargets(judging(), criterionId, targets)
    },
    'report.get': async (request) => {
      await untilImported()
      return buildReport(judging(), { ...request, projectPath: project().path, appVersion: deps.version })
    },
    'report.render': async ({ format, ...request }) => {
      await untilImported()
      const data = buildReport(judging(), { ...request, projectPath: project().path, appVersion: deps.version })
      const base = `${data.project.name}-calibration-report`
      if (format === 'pdf')
        return {
          filename: `${base}.pdf`,
          mime: 'application/pdf',
          base64: (await (deps.printPdf ?? chromiumPrinter(env))(reportHtml(data))).toString('base64'),
        }
      const [text, mime] =
        format === 'html'
          ? [reportHtml(data), 'text/html']
          : format === 'md'
            ? [reportMarkdown(data), 'text/markdown']
            : [reportJson(data), 'application/json']
      return { filename: `${base}.${format}`, mime, base64: Buffer.from(text, 'utf8').toString('base64') }
    },
    'import.detect': (source) => imports.detect(source),
    'import.preview': ({ mapping, ...source }) => imports.preview(source, mapping),
    'settings.get': () => deps.settings.user(),
    'settings.set': (change) => deps.settings.setUser(change),
    'criteria.list': () => project().repos.criteria.list(),
    'criteria.update': async ({ id, definition }) => {
      const d = await writing()
      const updated = d.repos.criteria.updateDefinition(id, definition, d.now)
      if (!updated) throw new AppError('not_found', `There is no criterion with id ${id} in this project.`)
      return updated
    },
    'criteria.create': async (input) => addCriterion(await writing(), input),
    'criteria.rename': async ({ id, name }) => renameCriterion(await writing(), id, name),
    'criteria.agreement': ({ id }) => agreementOn(labeling(), id),
    'sessions.create': async (settings) => createSession(await writing(), settings),
    'sessions.counts': (settings) => unlabeledOf(labeling(), settings),
    'sessions.latest': () => latestSession(labeling()),
    'sessions.get': ({ id }) => getSession(labeling(), id),
    'labels.save': async (input) => changed(saveLabel(await writing(), input)),
    'labels.tag': async (input) => changed(tagItem(await writing(), input)),
    'labels.undo': async ({ sessionId }) => changed(undoLabel(await writing(), sessionId)),
    'notes.list': () => listNotes(labeling()),
    'taxonomy.get': ({ pivot }) => countTaxonomy(labeling(), pivot),
    'modes.create': async (input) => ({ id: createMode(await writing(), input) }),
    'modes.rename': async ({ id, name }) => (renameMode(await writing(), id, name), null),
    'modes.delete': async ({ id }) => (deleteMode(await writing(), id), null),
    'modes.merge': async ({ from, into }) => changed((mergeModes(await writing(), from, into), null)),
    'modes.move': async ({ itemIds, from, to }) => changed((moveTraces(await writing(), itemIds, from, to), null)),
    'modes.example': async ({ modeId, itemId, kind, on }) => (
      pinExample(await writing(), modeId, itemId, kind, on),
      null
    ),
    'modes.assign': async ({ itemId, modeId, on }) => changed((assignMode(await writing(), itemId, modeId, on), null)),
    'import.run': async ({ path, ...request }) => {
      writable()
      const running = imports.run({ file: path, ...request })
      importing = running
      const report = await running.finally(() => {
        if (importing === running) importing = null
      })
      if (report.committed && current) {
        deps.emit({ name: 'project.changed', payload: { project: info(current) } })
        deps.emit({ name: 'labels.changed', payload: {} })
      }
      return report
    },
    'import.cancel': () => imports.cancel(),
    'import.pick': () => pick('import'),
    'export.run': async (request) => {
      await untilImported()
      if (deps.saveFile) {
        // The file is named first: judgy's arrays record that test results were seen, so nothing is computed before the user saves.
        const path = await deps.saveFile(exportFilename(project().path, request))
        return path ? saveExport(exportFile(exportSource(), request), path) : { via: 'cancelled' as const }
      }
      const file = exportFile(exportSource(), request)
      return {
        via: 'download' as const,
        url: `/download/${downloads.add(file)}`,
        filename: file.filename,
        message: file.note,
      }
    },
  }

  function safeHasKey(p: ModelProfile): boolean {
    try {
      return keyFor(p, keySources()) !== null
    } catch {
      return false // a key file others can read: "Test connection" says why
    }
  }

  return {
    handlers: guarded(handlers, translate),
    close,
    current: () => current,
    /** An export's one-time download (`assay serve`'s GET /download/TICKET); null when unknown, used or expired. */
    download: (ticket: string): ExportFile | null => downloads.take(ticket),
    /** Opens a project for a shell that starts with one (`assay serve FILE`): checked before anything is served. */
    open: (path: string): ProjectInfo => switchTo(path, 'open', 'now'),
  }
}

/** Methods that open another file: their errors are about that file, never the current project. */
const OPENING: ReadonlySet<Method> = new Set<Method>(['project.open', 'project.create', 'project.openDemo'])

/** Every handler on the current project, with what it throws passed through `translate` (sync and async alike). */
function guarded(handlers: Handlers, translate: (error: unknown) => unknown): Handlers {
  const out: Partial<Record<Method, (input: never) => unknown>> = {}
  for (const method of Object.keys(handlers) as Method[]) {
    const handler = handlers[method] as (input: unknown) => unknown
    if (OPENING.has(method)) {
      out[method] = handler
      continue
    }
    out[method] = (input: unknown) => {
      try {
        const result = handler(input)
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(translate(error))) : result
      } catch (error) {
        throw translate(error)
      }
    }
  }
  return out as Handlers
}
export type Services = ReturnType<typeof createServices>
