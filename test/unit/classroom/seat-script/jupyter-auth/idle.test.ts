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

const hearing = `
import asyncio, json
from ${JUPYTER_AUTH_PACKAGE} import idle
from ${JUPYTER_AUTH_PACKAGE}.idle import hear_before_use

idle.ASK_SECONDS = 0.02

class Log:
    def __init__(self):
        self.warnings = 0
    def debug(self, *args):
        pass
    def warning(self, *args):
        self.warnings += 1

class Channel:
    closed = False
    def close(self):
        self.closed = True

class Kernel:
    """A kernel whose IOPub subscription is in place once it has been asked \`heard_after\` times."""
    def __init__(self, heard_after):
        self.activity_heard = asyncio.Event()
        self.heard_after = heard_after
        self.asked = 0
        self.channel = None
        self.session = self
        if heard_after == 0:
            self.activity_heard.set()
    def connect_control(self):
        self.channel = Channel()
        return self.channel
    def send(self, channel, msg_type):
        assert channel is self.channel and msg_type == "kernel_info_request"
        self.asked += 1
        if self.asked == self.heard_after:
            asyncio.get_running_loop().call_later(0.005, self.activity_heard.set)

class Manager:
    """As notebook 6 and jupyter_server 1: start_kernel returns once the kernel is launched."""
    kernel_info_timeout = 0.3
    def __init__(self, heard_after):
        self.heard_after = heard_after
        self.log = Log()
        self.kernels = {}
    async def start_kernel(self, kernel_id=None, **kwargs):
        kernel_id = "k%d" % len(self.kernels)
        self.kernels[kernel_id] = Kernel(self.heard_after)
        return kernel_id
    def get_kernel(self, kernel_id):
        return self.kernels[kernel_id]
    def __contains__(self, kernel_id):
        return kernel_id in self.kernels

hear_before_use(Manager)
wrapped = Manager.start_kernel
hear_before_use(Manager)

async def start(heard_after):
    manager = Manager(heard_after)
    kernel = manager.get_kernel(await manager.start_kernel())
    return {
        "heard": kernel.activity_heard.is_set(),
        "asked": kernel.asked,
        "channel_closed": None if kernel.channel is None else kernel.channel.closed,
        "warnings": manager.log.warnings,
    }

print(json.dumps({
    "late_subscription": asyncio.run(start(3)),
    "never_heard": asyncio.run(start(-1)),
    "heard_already": asyncio.run(start(0)),
    "wrapped_once": Manager.start_kernel is wrapped,
}))
`;

describe('a new kernel, heard before it is handed out (idle.py)', () => {
  it('is asked for its info until its activity is heard, so its first busy status is not missed', () => {
    // Act
    const out = JSON.parse(
      execFileSync(python, ['-c', hearing], {
        env: { PYTHONPATH: root, PYTHONDONTWRITEBYTECODE: '1' },
        encoding: 'utf8',
      }),
    );

    // Assess: start_kernel returns only once heard (asked until then, on a channel closed
    // after); a kernel never heard is given up after the kernel_info timeout, with a warning;
    // one heard already is not asked.
    expect(out.late_subscription).toEqual({
      heard: true,
      asked: 3,
      channel_closed: true,
      warnings: 0,
    });
    expect(out.never_heard).toMatchObject({ heard: false, channel_closed: true, warnings: 1 });
    expect(out.never_heard.asked).toBeGreaterThan(3);
    expect(out.heard_already).toEqual({
      heard: true,
      asked: 0,
      channel_closed: null,
      warnings: 0,
    });
    expect(out.wrapped_once).toBe(true);
  });
});
