export type BuilderOs = 'mac' | 'linux' | 'win'
export function stagingDir(root: string, os: BuilderOs, arch: string): string
export function nativePackagesFor(root: string, os: BuilderOs, arch: string): { name: string; version: string }[]
export function stageNativePackages(options: { root: string; os: BuilderOs; arch: string; install?: Installer }): {
  staged: string[]
  present: string[]
}
export type Installer = (staging: string, args: string[]) => { status: number | null; output: string }
export type BeforePack = (context: {
  packager: { platform: { buildConfigurationKey: string }; projectDir: string }
  arch: number
}) => Promise<void>
export function createBeforePack(install?: Installer): BeforePack
declare const beforePack: BeforePack
export default beforePack
