import { createContext, createElement, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import type { CallName } from '../../../shared/contract/contract'
import { READ_ONLY_REASON_ID, writeBlockReason } from './access/write-access'
import { useStore } from 'zustand'
import { nodeName, type AppState } from './app-model'
import type { Models } from './boot'
import { createViewModel, type ViewModel, type ViewModelDefinition } from './view-model'

const ModelsContext = createContext<Models | null>(null)

/** Hands the models (and, inside them, the one contract client) down; views never see the client. */
export function ViewModelRoot({ models, children }: { models: Models; children: ReactNode }): ReactNode {
  return createElement(ModelsContext.Provider, { value: models }, children)
}

function useModels(): Models {
  const models = useContext(ModelsContext)
  if (!models) throw new Error('view models need a ViewModelRoot above them')
  return models
}

/**
 * Opens a view model for as long as the calling view is mounted: built once,
 * connected to the core's events and status on mount, disposed on unmount.
 * Views pass it to their parts (never its state) and read with `useSelect`.
 */
export function useViewModel<D extends object, A extends object, P, L>(
  definition: ViewModelDefinition<D, A, P, L>,
  params: P
): ViewModel<D & A> {
  const { client } = useModels()
  const [model] = useState(() => createViewModel(definition, client, params))
  useEffect(() => model.connect(), [model])
  return model
}

/** The one way a view reads a view model: a selector, so it re-renders only when that slice changes. */
export function useSelect<S, T>(model: ViewModel<S>, selector: (state: S) => T): T {
  return useStore(model, selector)
}

/** Reads the app-wide model (connection, app facts, settings) through a selector. */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useModels().app, selector)
}

/** A node as people know it (its label), by the id a task or an answer recorded. */
export function useNodeName(): (node: string) => string {
  const labels = useApp((s) => s.nodeLabels)
  return useMemo(() => (node: string) => nodeName(labels, node), [labels])
}

/** How a control that makes `call` shows whether this window may make it: spread onto nothing, read field by field. */
export interface WriteAccess {
  /** True when this window may not make the call: the control is disabled before anyone types. */
  readonly blocked: boolean
  /** The reason, for the control's title; undefined when it may. */
  readonly title: string | undefined
  /** Points at the shell's explanation of read-only mode; undefined when it may. */
  readonly describedBy: string | undefined
}

/** Whether this window may make `call`, from the contract's scope of the call and the session the core reported. */
export function useWriteAccess(call: CallName): WriteAccess {
  const reason = useApp((s) => writeBlockReason(s.session, call))
  return useMemo(
    () => ({
      blocked: reason !== null,
      title: reason ?? undefined,
      describedBy: reason ? READ_ONLY_REASON_ID : undefined
    }),
    [reason]
  )
}

/** True when this window is the read-only one. */
export function useReadOnly(): boolean {
  return useApp((s) => s.session?.access === 'readOnly')
}
