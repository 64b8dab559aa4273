import { optionalUrl, type SettingDefinition } from '../setting-builders'

/** Where traces go: nowhere until an owner names a collector. */
export const TELEMETRY_SETTINGS = {
  'telemetry.otlpEndpoint': optionalUrl({
    category: 'Headless host',
    label: 'OpenTelemetry traces endpoint',
    description:
      'An OTLP/HTTP traces URL (e.g. http://localhost:4318/v1/traces of a collector, Jaeger or Tempo): every task, task run and model request is sent there as a span carrying its correlation id. Empty sends nothing.',
    env: ['KOS_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    applies: 'live',
    inProfiles: false
  })
} satisfies Record<string, SettingDefinition>
