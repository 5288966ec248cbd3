import { useStore } from '../../store'

/** What the editor asked the core for: the draft rendered on an item, and the diff with the version before. */
export function JudgeAnswers({ onPreview }: { onPreview: () => void }) {
  const preview = useStore((s) => s.judges.preview)
  const diff = useStore((s) => s.judges.diff)
  const setPreviewItem = useStore((s) => s.setJudgePreviewItem)
  return (
    <>
      {preview && (
        <section className="preview">
          <h3>
            Preview on{' '}
            <input
              aria-label="Preview item id"
              className="mono"
              value={preview.itemId}
              onChange={(e) => setPreviewItem(e.target.value)}
              onKeyDown={(e) => e.key === 'Enter' && onPreview()}
            />{' '}
            <span className="muted">≈{preview.tokens} tokens</span>
          </h3>
          <pre data-testid="prompt-preview">{preview.text}</pre>
        </section>
      )}
      {diff && (
        <section className="diff" data-testid="version-diff">
          <h3>{diff.title}</h3>
          {diff.changes.map((c) => (
            <p key={c} className="mono">
              {c}
            </p>
          ))}
          <pre>
            {diff.prompt.map((l, i) => (
              <div key={i} className={l.op === '+' ? 'added' : l.op === '-' ? 'removed' : 'same'}>
                {l.op} {l.text}
              </div>
            ))}
          </pre>
        </section>
      )}
    </>
  )
}
