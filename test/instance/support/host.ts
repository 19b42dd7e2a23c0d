import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const TOOLS = ['systemd-nspawn', 'debootstrap', 'nsenter', 'tar', 'zstd', 'pebble', 'openssl'];
const SEARCH_PATH = [process.env.PATH ?? '', '/usr/sbin', '/sbin'].join(delimiter);

function onPath(tool: string): boolean {
  return SEARCH_PATH.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Why real-container tests cannot run here, or undefined when they can. On CI, where the tools
 * are installed on purpose, a missing prerequisite is an error rather than a skip.
 */
export function containerTestsUnavailable(): string | undefined {
  const missing = TOOLS.filter((tool) => !onPath(tool));
  const reason =
    process.getuid?.() !== 0
      ? 'needs root (systemd-nspawn, debootstrap)'
      : missing.length > 0
        ? `missing ${missing.join(', ')} (apt-get install systemd-container debootstrap zstd pebble openssl)`
        : undefined;
  if (reason && process.env.CI) throw new Error(`instance tests cannot run on CI: ${reason}`);
  if (reason) console.warn(`instance tests skipped: ${reason}`);
  return reason;
}

/** A describe title that carries the skip reason, so a skipped suite says why. */
export function titled(title: string, unavailable: string | undefined): string {
  return unavailable ? `${title} [skipped: ${unavailable}]` : title;
}
