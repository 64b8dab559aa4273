import type { ReactNode } from 'react'
import { useViewRoute } from '../navigation/use-view-route'
import type { ViewId } from '../navigation/views'
import { BoardView } from '../views/board/BoardView'
import { ChatView } from '../views/chat/ChatView'
import { ChecklistView } from '../views/checklist/ChecklistView'
import { OverviewView } from '../views/overview/OverviewView'
import { KnowledgeView } from '../views/knowledge/KnowledgeView'
import { ModelsView } from '../views/models/ModelsView'
import { SettingsView } from '../views/settings/SettingsView'
import { TasksView } from '../views/tasks/TasksView'
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
  board: BoardView,
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
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar current={view} onSelect={go} />
      <div className="workspace">
        <ConnectionBanner />
        <OnboardingPanel />
        <main id="main" className="view" key={view}>
          <ViewBody view={view} />
        </main>
        <StatusBar />
        <ReadOnlyReason />
      </div>
    </div>
  )
}
