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
"""

from datetime import datetime, timezone

CHECK_SECONDS = 60

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

        def record_activity(msg_list):
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
