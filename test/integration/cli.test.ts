import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { scribble } from '../helpers/damage'
import { judgeProject } from '../helpers/judge-project'
import { repoRoot, tempDir } from '../helpers/paths'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
const env = { ...process.env, ASSAY_HOME: tmp.file('home') }

/** Runs the real `assay` bin (the built CLI) and returns its exit code and output. */
function assay(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin/assay.mjs'), ...args], {
    cwd: tmp.dir,
    env,
    encoding: 'utf8',
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** Starts `assay serve`, waits for its first stdout line, and returns it with a stop function. */
async function serving(...args: string[]) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/assay.mjs'), 'serve', ...args], { cwd: tmp.dir, env })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)))
  })
  return { line, stderr: () => stderr, stop: () => child.kill('SIGTERM') }
}

describe('the assay CLI', () => {
  it('lists its commands and has --help on each', () => {
    const help = assay('--help')
    expect(help.code).toBe(0)
    for (const command of [
      'serve',
      'import',
      'export',
      'criterion',
      'judge',
      'report',
      'demo',
      'estimate',
      'taxonomy',
      'bench',
      'fake-llm',
    ]) {
      expect(help.stdout).toContain(`  ${command}`)
      const own = assay(command, '--help')
      expect([own.code, own.stdout.split('\n')[0]]).toEqual([
        0,
        expect.stringMatching(new RegExp(`^Usage: assay ${command}`)),
      ])
    }
  })

  it('reports an unknown command on stderr with a non-zero exit code', () => {
    const result = assay('frobnicate')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown command "frobnicate"')
    expect(result.stdout).toBe('')
    for (const name of ['constructor', 'toString', '__proto__']) {
      const other = assay(name)
      expect([other.code, other.stderr]).toEqual([
        2,
        `assay: unknown command "${name}". Run \`assay --help\` for the list.\n`,
      ])
    }
  })

  it('writes the demo project, and refuses to overwrite it (stderr, or JSON with --json)', () => {
    const made = assay('demo', 'demo.assay', '--json')
    expect(made.code).toBe(0)
    expect(JSON.parse(made.stdout)).toEqual({ path: tmp.file('demo.assay'), items: 1550, labels: 120 })
    const again = assay('demo', 'demo.assay')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already exists')
    const json = assay('demo', 'demo.assay', '--json')
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({ error: 'conflict', message: expect.stringContaining('already exists') })
    expect(assay('demo').stderr).toContain('needs exactly one PATH')
  })

  it('export writes the format its file is named for, and stops when --format or the name contradicts it', () => {
    expect(assay('demo', 'formats.assay').code).toBe(0)
    const written = (name: string, ...args: string[]) => {
      const result = assay('export', 'formats.assay', '--out', name, ...args)
      return { ...result, text: existsSync(tmp.file(name)) ? readFileSync(tmp.file(name)) : null }
    }
    const jsonl = written('items.jsonl')
    expect(jsonl.code).toBe(0)
    expect(JSON.parse(jsonl.text!.toString().split('\n')[0])).toMatchObject({ id: expect.any(String) })
    expect(JSON.parse(written('items.NDJSON').text!.toString().split('\n')[0])).toHaveProperty('id')
    expect(written('items.parquet').text!.subarray(0, 4).toString()).toBe('PAR1')
    for (const name of ['items.csv', 'items.txt']) expect(written(name).text!.toString()).toMatch(/^id,dataset,kind,/)
    expect(written('named.csv', '--format', 'csv').code).toBe(0)

    const contradicted = written('wrong.jsonl', '--format', 'csv')
    expect([contradicted.code, contradicted.text]).toEqual([1, null])
    expect(contradicted.stderr).toContain('--format csv would write CSV into wrong.jsonl, a name that says JSON Lines')
    const json = written('items.json')
    expect([json.code, json.text]).toEqual([1, null])
    expect(json.stderr).toContain('JSON Lines, one object per item, is --out items.jsonl')
  })

  it('serves a project and prints the one line with its address and token', async () => {
    if (assay('demo', 'served.assay').code !== 0) throw new Error('demo failed')
    const server = await serving('served.assay', '--port', '0')
    try {
      const match = server.line.match(/^Assay is serving (\S+) at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))$/)
      expect(match?.[1]).toBe(tmp.file('served.assay'))
      const [, , , port, token] = match!
      const res = await fetch(`http://127.0.0.1:${port}/api/project.current`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{}',
      })
      expect(await res.json()).toMatchObject({ ok: true, value: { name: 'served', itemCount: 1550 } })
      expect(server.stderr()).toBe('')
    } finally {
      server.stop()
    }
  })

  it('warns when serving beyond loopback, and fails clearly on a missing project or a bad port', async () => {
    const server = await serving('--host', '0.0.0.0', '--port', '0')
    server.stop()
    expect(server.line).toMatch(/^Assay is serving the Start screen at http:\/\/127\.0\.0\.1:\d+\/\?token=/)
    expect(server.stderr()).toContain('reachable from other machines')

    const missing = assay('serve', 'missing.assay')
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('No project file at')])
    expect(assay('serve', '--port', 'eighty').stderr).toContain('--port must be a whole number')
  })

  it('serve refuses a damaged project with the same message as every other command, and exits', () => {
    const path = tmp.file('damaged.assay')
    judgeProject(path, [{ id: 'a', input: 'question' }]).db.close()
    scribble(path, 'items')
    const listed = assay('judge', 'list', 'damaged.assay')
    expect(listed.code).toBe(1)
    const message = listed.stderr.replace(/^assay judge: /, '')
    expect(message).toMatch(
      /^\S+damaged\.assay (failed SQLite's integrity check|is damaged) \(.+\)\. Restore it from a backup \(Assay keeps one beside the file before every upgrade\), or try "sqlite3 \S+damaged\.assay \.recover"\.\n$/,
    )
    expect(message.startsWith(`${path} `)).toBe(true)
    const served = spawnSync(
      process.execPath,
      [join(repoRoot, 'bin/assay.mjs'), 'serve', 'damaged.assay', '--port', '0'],
      { cwd: tmp.dir, env, encoding: 'utf8', timeout: 30_000 },
    )
    expect([served.status, served.stdout, served.stderr]).toEqual([1, '', `assay serve: ${message}`])
    expect(assay('report', 'damaged.assay').stderr).toBe(`assay report: ${message}`)
  })

  it('runs the bench and prints JSON rows with targets', () => {
    const result = assay('bench', '--quick', '--json', '--only', 'project')
    expect(result.code).toBe(0)
    const rows = JSON.parse(result.stdout).suites.project as { name: string; value: number; unit: string }[]
    expect(rows.find((r) => r.name.startsWith('open 10k-item project'))).toMatchObject({
      unit: 'ms',
      target: { value: 500, better: 'lower' },
    })
    expect(rows.every((r) => Number.isFinite(r.value) && r.value >= 0)).toBe(true)
  }, 120_000)
})
