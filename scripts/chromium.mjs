// Finds Chromium for the end-to-end tests; installs Debian's package when running as root with apt.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (existsSync(wanted)) return wanted
  const isRoot = process.getuid?.() === 0
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
  if (isRoot && hasApt && !process.env.CHROMIUM_PATH) {
    console.log("Chromium not found: installing Debian's chromium package…")
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    if (install.status === 0 && existsSync(wanted)) return wanted
  }
  console.error(`genjin: no Chromium at ${wanted}: install it with "apt-get install -y chromium" (as root) or set CHROMIUM_PATH to a Chromium binary.`)
  process.exit(1)
}
