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

const judge = `
import json
from ${JUPYTER_AUTH_PACKAGE}.idle import next_execution_state, track_execution_only

def run(steps, state="starting"):
    seen = []
    for reported, parent in steps:
        state = next_execution_state(state, reported, parent)
        seen.append(state)
    return seen

class Server2Manager:
    def track_message_type(self, message_type):
        return True
    def start_watching_activity(self, kernel_id):
        return "upstream"

original = Server2Manager.start_watching_activity
track_execution_only(Server2Manager)
print(json.dumps({
    "tab_connects_while_running": run([
        ("busy", None), ("idle", None),
        ("busy", "execute_request"),
        ("busy", "kernel_info_request"), ("idle", "kernel_info_request"),
        ("busy", "debug_request"), ("idle", "debug_request"),
        ("idle", "execute_request"),
    ]),
    "first_answer_is_housekeeping": run([("busy", "kernel_info_request"), ("idle", "kernel_info_request")]),
    "server2_left_alone": Server2Manager.start_watching_activity is original,
}))
`;

describe('whether a kernel is executing (idle.py)', () => {
  it("stays busy while a tab's kernel_info and debug requests are answered during a run", () => {
    // Act
    const out = JSON.parse(
      execFileSync(python, ['-c', judge], {
        env: { PYTHONPATH: root, PYTHONDONTWRITEBYTECODE: '1' },
        encoding: 'utf8',
      }),
    );

    // Assess: only the student's own requests move the state; a first status, whatever its
    // parent, ends `starting`; jupyter_server 2 already judges so and is not patched.
    expect(out.tab_connects_while_running).toEqual([
      'busy',
      'idle',
      'busy',
      'busy',
      'busy',
      'busy',
      'busy',
      'idle',
    ]);
    expect(out.first_answer_is_housekeeping).toEqual(['idle', 'idle']);
    expect(out.server2_left_alone).toBe(true);
  });
});
