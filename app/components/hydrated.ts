import { useSyncExternalStore } from 'react'

function subscribe() {
  return () => {}
}

/** False during server rendering and hydration, true once React runs in the browser: forms use it to
 *  add what only makes sense with JavaScript (such as asking for a JSON answer instead of a redirect). */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  )
}
