import type { Config } from '@react-router/dev/config'

export default {
  ssr: true,
  future: { v8_middleware: true },
  // Every route is known from the first page: no discovery request can race a fetcher into the
  // not-found route (docs/decisions/033-routes-known-up-front.md).
  routeDiscovery: { mode: 'initial' },
} satisfies Config
