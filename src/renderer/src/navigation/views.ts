import { VIEW_IDS, type ViewId } from '../../../shared/views'

export { VIEW_IDS, VIEWS, type ViewEntry, type ViewId } from '../../../shared/views'

export const DEFAULT_VIEW: ViewId = 'tasks'

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return (VIEW_IDS as readonly string[]).includes(id ?? '') ? (id as ViewId) : DEFAULT_VIEW
}
