export type BuilderOs = 'mac' | 'linux' | 'win'
export function stagingDir(root: string, os: BuilderOs, arch: string): string
export function nativePackagesFor(root: string, os: BuilderOs, arch: string): { name: string; version: string }[]
export function stageNativePackages(options: {
  root: string
  os: BuilderOs
  arch: string
  install?: (staging: string, args: string[]) => { status: number | null; output: string }
}): { staged: string[]; present: string[] }
export default function beforePack(context: { packager: { platform: { buildConfigurationKey: string }; projectDir: string }; arch: number }): Promise<void>
