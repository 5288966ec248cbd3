import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useKeyAction } from '../../keyboard'
import { useStore } from '../../store'
import type { ProfileStatus } from '../../store/slices/settings'
import { ProfileFields } from './ProfileFields'
import { ProfileList } from './ProfileList'
import { ThemeField } from './ThemeField'
import { blank, draftOf, typed, type Draft } from './profile-draft'

/**
 * Settings (DESIGN §3.8): model profiles for judges — OpenAI or any OpenAI-compatible endpoint —
 * with their parameters and prices, an API key kept outside every project, and "Test connection"; the theme; in
 * the desktop app, whether it checks for updates at start.
 */
export function SettingsScreen() {
  const { profiles, loadProfiles, saveProfile, testProfile, deleteProfile, shell, user, loadUser, setUser } = useStore(
    useShallow((s) => ({
      shell: s.shell,
      user: s.user,
      loadUser: s.loadUser,
      setUser: s.setUser,
      profiles: s.profiles,
      loadProfiles: s.loadProfiles,
      saveProfile: s.saveProfile,
      testProfile: s.testProfile,
      deleteProfile: s.deleteProfile,
    })),
  )
  const [draft, setDraft] = useState<Draft>(blank)
  // The form as last loaded or saved: a test of anything else says it is not saved yet.
  const [savedForm, setSavedForm] = useState<string | null>(null)
  const load = (next: Draft, saved: boolean) => {
    setDraft(next)
    setSavedForm(saved ? JSON.stringify(next) : null)
  }
  const [editing, setEditing] = useState<string | null>(null)
  const [status, setStatus] = useState<ProfileStatus | null>(null)
  useEffect(() => void loadProfiles(), [loadProfiles])
  useEffect(() => void loadUser(), [loadUser])

  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }))

  const save = async (): Promise<boolean> => {
    const form = typed(draft)
    if ('problem' in form) {
      setStatus({ ok: false, message: form.problem })
      return false
    }
    const saved = await saveProfile(form.profile, form.apiKey)
    if (saved.ok) {
      setEditing(form.profile.id)
      load({ ...draft, id: form.profile.id, apiKey: '' }, true)
    }
    setStatus(saved)
    return saved.ok
  }
  // Tests the form as typed; saving is its own action (Ctrl+S), so a test never changes a saved profile.
  const test = async () => {
    const form = typed(draft)
    if ('problem' in form) {
      setStatus({ ok: false, message: form.problem })
      return
    }
    setStatus({ ok: true, message: 'Testing the connection…' })
    const { answered, ...result } = await testProfile(form.profile, form.apiKey)
    // The endpoint answered (well or not) about a form other than the one saved: say it is not saved.
    const unsaved = answered && JSON.stringify(draft) !== savedForm
    setStatus(unsaved ? { ...result, message: `${result.message} Not saved yet: Ctrl+S saves the profile.` } : result)
  }
  const remove = async (id: string) => {
    await deleteProfile(id)
    if (editing === id) {
      setEditing(null)
      load(blank(), false)
    }
    await loadProfiles()
  }
  useKeyAction('settings.save', () => void save())
  useKeyAction('settings.test', () => void test())

  const current = profiles.find((p) => p.id === editing)
  return (
    <div className="settings">
      <ProfileList
        editing={editing}
        onEdit={(p) => {
          setEditing(p.id)
          load(draftOf(p), true)
          setStatus(null)
        }}
        onNew={() => {
          setEditing(null)
          load(blank(), false)
          setStatus(null)
        }}
        onDelete={(id) => void remove(id)}
      />
      <form
        className="profile-form"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <h2>{editing ? `Edit "${current?.name ?? editing}"` : 'New profile'}</h2>
        <ProfileFields draft={draft} set={set} current={current} />
        <div className="setup-actions">
          <button type="submit" className="primary">
            Save <kbd>Ctrl+S</kbd>
          </button>
          <button type="button" onClick={() => void test()}>
            Test connection <kbd>Ctrl+Enter</kbd>
          </button>
          <span className="hint">Testing uses the form as typed and saves nothing.</span>
        </div>
        {status && (
          <p role="status" className={status.ok ? 'ok' : 'import-problem'} data-testid="profile-status">
            {status.message}
          </p>
        )}
      </form>
      <ThemeField />
      {shell === 'electron' && (
        <section className="settings-app">
          <h2>Desktop app</h2>
          <label>
            <input
              type="checkbox"
              checked={user?.checkForUpdates ?? true}
              disabled={!user}
              onChange={(e) => void setUser({ checkForUpdates: e.target.checked })}
            />{' '}
            Check for updates when Assay starts (Help → Check for Updates… works either way)
          </label>
        </section>
      )}
    </div>
  )
}
