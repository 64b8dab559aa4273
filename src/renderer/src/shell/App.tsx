import { useEffect, useMemo, type ReactNode } from 'react'
import { paletteModel } from '../model/palette/palette-model'
import { useViewModel } from '../model/use-view-model'
import { isPaletteKey, paletteShortcut, shortcutHost, viewModifier } from '../navigation/shortcuts'
import { useViewRoute } from '../navigation/use-view-route'
import type { ViewId } from '../navigation/views'
import { ApprovalsView } from '../views/approvals/ApprovalsView'
import { CommandPalette } from './CommandPalette'
import { BoardView } from '../views/board/BoardView'
import { ChatView } from '../views/chat/ChatView'
import { ChecklistView } from '../views/checklist/ChecklistView'
import { OverviewView } from '../views/overview/OverviewView'
import { KnowledgeView } from '../views/knowledge/KnowledgeView'
import { ModelsView } from '../views/models/ModelsView'
import { SettingsView } from '../views/settings/SettingsView'
import { TasksView } from '../views/tasks/TasksView'
import { WorkflowsView } from '../views/workflows/WorkflowsView'
import { UnbuiltView } from '../views/UnbuiltView'
import { UsageView } from '../views/usage/UsageView'
import { UNBUILT_VIEWS } from '../views/unbuilt-views'
import { OnboardingPanel } from '../views/onboarding/OnboardingPanel'
import { ConnectionBanner } from './ConnectionBanner'
import { ReadOnlyReason } from './ReadOnlyBadge'
import { Sidebar } from './Sidebar'
import { StatusBar } from './StatusBar'

const BUILT_VIEWS: Readonly<Partial<Record<ViewId, () => ReactNode>>> = {
  overview: OverviewView,
  chat: ChatView,
  tasks: TasksView,
  approvals: ApprovalsView,
  board: BoardView,
  workflows: WorkflowsView,
  knowledge: KnowledgeView,
  models: ModelsView,
  checklist: ChecklistView,
  usage: UsageView,
  settings: SettingsView
}

function ViewBody({ view }: { view: ViewId }): ReactNode {
  const Built = BUILT_VIEWS[view]
  if (Built) return <Built />
  const text = UNBUILT_VIEWS[view]
  return text ? <UnbuiltView text={text} /> : null
}

export function App(): ReactNode {
  const { view, go } = useViewRoute()
  const palette = useViewModel(paletteModel, undefined)
  const host = useMemo(() => shortcutHost(navigator), [])
  const modifier = viewModifier(host)

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (!isPaletteKey(event)) return
      event.preventDefault()
      palette.getState().toggle()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [palette])

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar
        current={view}
        onSelect={go}
        modifier={modifier}
        paletteKey={paletteShortcut(host)}
        onPalette={() => palette.getState().show()}
      />
      <div className="workspace">
        <ConnectionBanner />
        <OnboardingPanel />
        <main id="main" className="view" key={view}>
          <ViewBody view={view} />
        </main>
        <StatusBar />
        <ReadOnlyReason />
      </div>
      <CommandPalette model={palette} host={host} modifier={modifier} />
    </div>
  )
}
