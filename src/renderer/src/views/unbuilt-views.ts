import type { ViewId } from '../navigation/views'

export interface UnbuiltViewText {
  readonly title: string
  readonly subtitle: string
  readonly emptyTitle: string
  /** What the view will show. */
  readonly body: string
  /** Why it shows nothing now. */
  readonly status: string
}

/**
 * Views whose capability this build does not have yet. Each says plainly
 * what it will hold and that nothing is running behind it; an entry leaves
 * this table when its capability lands and the view gets real data.
 */
export const UNBUILT_VIEWS: Readonly<Partial<Record<ViewId, UnbuiltViewText>>> = {}
