import type { ReactNode } from 'react'
import { EmptyState } from '../components/EmptyState'
import { ViewHeader } from '../components/ViewHeader'
import type { UnbuiltViewText } from './unbuilt-views'

export function UnbuiltView({ text }: { text: UnbuiltViewText }): ReactNode {
  return (
    <>
      <ViewHeader title={text.title} subtitle={text.subtitle} />
      <EmptyState title={text.emptyTitle} status={text.status}>
        {text.body}
      </EmptyState>
    </>
  )
}
