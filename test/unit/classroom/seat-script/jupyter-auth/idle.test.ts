/**
 * The idle shutdown of idle.py, run by the host's python3 against a stand-in Jupyter app whose
 * idle check stops the server when told it is idle, as notebook 6 and jupyter_server do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  JUPYTER_AUTH_PACKAGE,
  jupyterAuthFiles,
} from '../../../../../layers/core/classroom/seat-script/jupyter-auth/python-package';

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const driver = `
import json, os, sys, types
from ${JUPYTER_AUTH_PACKAGE}.idle import stop_when_idle

class App:
    idle = False
    stopped = 0
    def stop(self):
        self.stopped += 1
    def shutdown_no_activity(self):
        if self.idle:
            self.stop()

class Config:
    def __getattr__(self, name):
        section = types.SimpleNamespace()
        setattr(self, name, section)
        return section

marker = sys.argv[1]
c = Config()
stop_when_idle(c, c.ServerApp, App, 30, marker)
stop_when_idle(c, c.ServerApp, App, 30, marker)
app = App()
app.shutdown_no_activity()
busy = {"marked": os.path.exists(marker), "stopped": app.stopped}
app.idle = True
app.shutdown_no_activity()
idle = {"marked": os.path.exists(marker), "stopped": app.stopped, "stop_restored": "stop" not in vars(app)}
print(json.dumps({"config": {k: vars(v) for k, v in vars(c).items()}, "busy": busy, "idle": idle}))
`;

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bakehouse-idle-'));
  const dir = join(root, JUPYTER_AUTH_PACKAGE);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(jupyterAuthFiles)) writeFileSync(join(dir, name), text);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a seat that stops itself when idle (idle.py)', () => {
  it('culls idle kernels and terminals, never busy ones, and shuts the server down after the window', () => {
    // Act
    const out = JSON.parse(
      execFileSync(python, ['-c', driver, join(root, 'idle')], {
        env: { PYTHONPATH: root, PYTHONDONTWRITEBYTECODE: '1' },
        encoding: 'utf8',
      }),
    );

    // Assess
    expect(out.config).toEqual({
      MappingKernelManager: {
        cull_idle_timeout: 1800,
        cull_interval: 60,
        cull_busy: false,
        cull_connected: false,
      },
      TerminalManager: { cull_inactive_timeout: 1800, cull_interval: 60 },
      ServerApp: { shutdown_no_activity_timeout: 1800 },
    });
    expect(out.busy).toEqual({ marked: false, stopped: 0 });
    expect(out.idle).toEqual({ marked: true, stopped: 1, stop_restored: true });
  });
});
