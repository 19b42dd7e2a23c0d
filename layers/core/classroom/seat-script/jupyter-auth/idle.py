"""Stopping an idle seat: Jupyter's own idle shutdown, marked so systemd powers the seat off.

With idle_minutes, a kernel idle (not executing) and a terminal untouched for that long are shut
down, and the server itself stops once it has had no kernel, no terminal and no request from a
browser for that long (Jupyter checks once a minute). A kernel that is executing is never shut
down, so running code counts as activity; so does an open notebook whose kernel is connected.
When the server stops for that reason, and only then, it leaves a marker file behind: the seat's
systemd unit powers the machine off on seeing it, and EC2 stops the instance.

Whether a kernel is executing is read from its status messages. A kernel also answers a
frontend's housekeeping (a kernel_info or debug request on the control channel, which it serves
even while it runs code; a browser tab connecting sends both) with a busy and an idle status of
its own. jupyter_server 2 judges a kernel by the status of what it runs for the student only
(untracked_message_types); jupyter_server 1 and notebook 6 take every status, so one tab
connecting to a running kernel made it look idle, and it was shut down mid-run once the tab
closed. On those, the same judgement is put in their place (track_execution_only).

Those statuses reach the server only once its subscription to the kernel's IOPub is in place.
The server connects it as it launches the kernel, before the kernel listens, and the socket,
refused until then, tries again only every 100 ms or more; a kernel that starts quickly can
answer its first tab, and start running that tab's code, before then. The busy status is lost,
the server takes the running kernel for starting (or idle after a tab's housekeeping) and shuts
it down mid-run. A new kernel is therefore handed out only once the server has heard from it
(hear_before_use).
"""

import asyncio
import time
from datetime import datetime, timezone

CHECK_SECONDS = 60
# How often a new kernel not yet heard is asked for its info, and for how long at most.
ASK_SECONDS = 0.5
HEAR_TIMEOUT_SECONDS = 60

# The requests whose statuses say nothing of the student's code running (as jupyter_server 2).
UNTRACKED_PARENTS = frozenset(
    {
        "comm_info_request",
        "kernel_info_request",
        "shutdown_request",
        "interrupt_request",
        "debug_request",
    }
)


def next_execution_state(current, reported, parent_type):
    """A kernel's execution state after a status `reported` in answer to `parent_type`."""
    if parent_type not in UNTRACKED_PARENTS:
        return reported
    if current == "starting" and reported != "starting":
        return "idle"
    return current


def track_execution_only(manager_class):
    """Have an older kernel manager class judge execution as next_execution_state does."""
    start = manager_class.start_watching_activity
    if hasattr(manager_class, "track_message_type") or getattr(start, "tracks_execution", False):
        return
    from jupyter_client.session import Session

    def start_watching_activity(self, kernel_id):
        start(self, kernel_id)
        kernel = self._kernels[kernel_id]
        session = Session(config=kernel.session.config, key=kernel.session.key)
        heard = kernel.activity_heard = asyncio.Event()

        def record_activity(msg_list):
            heard.set()
            self.last_kernel_activity = kernel.last_activity = datetime.now(timezone.utc)
            _, frames = session.feed_identities(msg_list)
            msg_type = session.deserialize(frames, content=False)["header"]["msg_type"]
            if msg_type != "status":
                self.log.debug("activity on %s: %s", kernel_id, msg_type)
                return
            msg = session.deserialize(frames)
            parent = (msg.get("parent_header") or {}).get("msg_type")
            reported = msg["content"]["execution_state"]
            kernel.execution_state = next_execution_state(kernel.execution_state, reported, parent)
            self.log.debug(
                "activity on %s: status %s for %s (%s)",
                kernel_id, reported, parent, kernel.execution_state,
            )

        kernel._activity_stream.on_recv(record_activity)

    start_watching_activity.tracks_execution = True
    manager_class.start_watching_activity = start_watching_activity
    hear_before_use(manager_class)


def hear_before_use(manager_class):
    """Have manager_class's start_kernel return only once the kernel has been heard."""
    start_kernel = manager_class.start_kernel
    if getattr(start_kernel, "hears_first", False):
        return

    async def start_kernel_heard(self, *args, **kwargs):
        kernel_id = await start_kernel(self, *args, **kwargs)
        await until_heard(self, kernel_id)
        return kernel_id

    start_kernel_heard.hears_first = True
    manager_class.start_kernel = start_kernel_heard


async def until_heard(manager, kernel_id):
    """Ask a kernel for its info, on a channel of its own, until its activity has been heard.

    Its answers (a busy and an idle status each) say nothing of the student's code; once one
    arrives, the subscription is in place and no later status is missed.
    """
    kernel = manager.get_kernel(kernel_id)
    heard = getattr(kernel, "activity_heard", None)
    if heard is None or heard.is_set():
        return
    channel = kernel.connect_control()
    deadline = time.monotonic() + getattr(manager, "kernel_info_timeout", HEAR_TIMEOUT_SECONDS)
    try:
        while not heard.is_set() and kernel_id in manager:
            if time.monotonic() > deadline:
                manager.log.warning("Kernel %s not heard; its activity may be missed", kernel_id)
                return
            manager.log.debug("Asking kernel %s for its info until heard", kernel_id)
            kernel.session.send(channel, "kernel_info_request")
            try:
                await asyncio.wait_for(heard.wait(), ASK_SECONDS)
            except asyncio.TimeoutError:
                pass
    finally:
        channel.close()


def stop_when_idle(c, app_section, app_class, idle_minutes, marker, kernel_manager_class=None):
    """Configure idle culling and shutdown on one Jupyter generation's app section."""
    if kernel_manager_class is not None:
        track_execution_only(kernel_manager_class)
    seconds = int(idle_minutes) * 60
    c.MappingKernelManager.cull_idle_timeout = seconds
    c.MappingKernelManager.cull_interval = CHECK_SECONDS
    c.MappingKernelManager.cull_busy = False
    c.MappingKernelManager.cull_connected = False
    c.TerminalManager.cull_inactive_timeout = seconds
    c.TerminalManager.cull_interval = CHECK_SECONDS
    app_section.shutdown_no_activity_timeout = seconds
    mark_idle_shutdown(app_class, marker)


def mark_idle_shutdown(app_class, marker):
    """Make app_class's idle check leave the file `marker` before it stops the server."""
    check = app_class.shutdown_no_activity
    if getattr(check, "marks_idle", False):
        return

    def shutdown_no_activity(self):
        stop = self.stop

        def stop_idle(*args, **kwargs):
            with open(marker, "w") as mark:
                mark.write("idle\n")
            return stop(*args, **kwargs)

        self.stop = stop_idle
        try:
            return check(self)
        finally:
            del self.stop

    shutdown_no_activity.marks_idle = True
    app_class.shutdown_no_activity = shutdown_no_activity
