import { useState, type ReactNode } from 'react'

/** Saves the newest run as Markdown or canonical JSON, and shows the JSON's SHA-256 for comparing reports. */
export function ReportExport({
  load,
  disabled
}: {
  load: () => Promise<{ markdown: string; json: string; sha256: string } | null>
  disabled: boolean
}): ReactNode {
  const [sha, setSha] = useState<string | null>(null)
  const save = async (kind: 'markdown' | 'json'): Promise<void> => {
    const report = await load()
    if (!report) return
    setSha(report.sha256)
    const blob = new Blob([kind === 'markdown' ? report.markdown : report.json], {
      type: kind === 'markdown' ? 'text/markdown' : 'application/json'
    })
    const link = document.createElement('a')
    link.href = URL.createObjectURL(blob)
    link.download = `kos-checklist-${report.sha256.slice(0, 12)}.${kind === 'markdown' ? 'md' : 'json'}`
    link.click()
    URL.revokeObjectURL(link.href)
  }
  return (
    <span className="report-export">
      <button type="button" className="secondary" disabled={disabled} onClick={() => void save('markdown')}>
        Export Markdown
      </button>
      <button type="button" className="secondary" disabled={disabled} onClick={() => void save('json')}>
        Export JSON
      </button>
      {sha && (
        <code className="muted" title="SHA-256 of the JSON report" data-testid="report-sha">
          sha256 {sha.slice(0, 16)}…
        </code>
      )}
    </span>
  )
}
