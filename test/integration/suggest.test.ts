/**
 * LLM-suggested failure modes: the notes of failing traces go to the model profile's endpoint
 * (the real `openai` client, a local server), the answer becomes suggestions that name their
 * traces, nothing is saved until a suggestion is accepted, and a bad answer is a clear error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startLlmServer, type LlmServer } from '../../electron/bench/llm-server'
import { writeDemoProject } from '../../electron/core/demo'
import { createServices, type Services } from '../../electron/core/services'
import { createSettingsStore } from '../../electron/core/settings'
import { tempDir } from '../helpers/paths'
import { contractCaller } from '../helpers/services'

describe('taxonomy.suggest', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: LlmServer
  let services: Services
  let reply: (prompt: string) => string
  const call = contractCaller(() => services)

  beforeEach(async () => {
    tmp = tempDir()
    server = await startLlmServer({ answer: (prompt) => reply(prompt) })
    services = createServices({
      shell: 'serve',
      version: 'test',
      settings: createSettingsStore(tmp.file('home')),
      clock: () => new Date('2026-03-01T00:00:00Z'),
      emit: () => undefined,
      demoPath: tmp.file('home/demo.assay'),
      env: {},
    })
    const project = tmp.file('demo.assay')
    writeDemoProject(project, { unlabeled: 10 })
    await call('project.open', { path: project })
    await call('profiles.save', {
      profile: { id: 'local', name: 'Local', baseUrl: server.baseUrl, model: 'fake-judge' },
    })
  })
  afterEach(async () => {
    services.close()
    await server.close()
    tmp.cleanup()
  })

  it('groups the numbered notes as the model says, and saves nothing until a suggestion is accepted', async () => {
    // A stand-in model that groups by keywords, and cites one note number that does not exist.
    reply = (prompt) => {
      const lines = [...prompt.matchAll(/^(\d+): (.*)$/gm)].map((m) => ({ n: Number(m[1]), text: m[2] }))
      const pick = (re: RegExp) => lines.filter((l) => re.test(l.text)).map((l) => l.n)
      return JSON.stringify({
        modes: [
          {
            name: 'Breaks the diet',
            definition: 'Suggests an ingredient the diet forbids.',
            notes: [...pick(/although the user asked/), 999],
          },
          { name: 'No recipe', definition: 'Answers without an actual recipe.', notes: pick(/Generic answer/) },
          { name: 'Empty', definition: 'Matches nothing.', notes: [] },
        ],
      })
    }
    const notes = await call('notes.list', {})
    const { suggestions } = await call('taxonomy.suggest', { profileId: 'local' })
    expect(suggestions.map((s) => s.name)).toEqual(['Breaks the diet', 'No recipe'])
    const expected = (re: RegExp) =>
      [...new Set(notes.filter((n) => n.verdict === 'fail' && re.test(n.note)).map((n) => n.itemId))].sort()
    expect([...suggestions[0].itemIds].sort()).toEqual(expected(/although the user asked/))
    expect([...suggestions[1].itemIds].sort()).toEqual(expected(/Generic answer/))
    expect(suggestions[0].itemIds.length).toBeGreaterThan(0)
    // The request held the notes, with structured outputs.
    expect(server.calls).toHaveLength(1)
    expect(server.calls[0].prompt).toContain('axial coding')
    expect((server.calls[0].body.response_format as { type: string }).type).toBe('json_schema')
    // Nothing saved yet; accepting one creates the mode with its traces.
    expect((await call('taxonomy.get', { pivot: null })).modes.map((m) => m.name)).not.toContain('No recipe')
    await call('modes.create', {
      name: suggestions[1].name,
      definition: suggestions[1].definition,
      itemIds: suggestions[1].itemIds,
    })
    const mode = (await call('taxonomy.get', { pivot: null })).modes.find((m) => m.name === 'No recipe')!
    expect(mode.count).toBe(suggestions[1].itemIds.length)
  })

  it('says so when the answer is not the JSON asked for', async () => {
    reply = () => 'Here are some groups: diet, recipes.'
    await expect(call('taxonomy.suggest', { profileId: 'local' })).rejects.toThrow(/answer is not JSON/)
    reply = () => JSON.stringify({ groups: [] })
    await expect(call('taxonomy.suggest', { profileId: 'local' })).rejects.toThrow(/without a "modes" list/)
  })
})
