"""Stopping an idle seat: Jupyter's own idle shutdown, marked so systemd powers the seat off.

With idle_minutes, a kernel idle (not executing) and a terminal untouched for that long are shut
down, and the server itself stops once it has had no kernel, no terminal and no request from a
browser for that long (Jupyter checks once a minute). A kernel that is executing is never shut
down, so running code counts as activity; so does an open notebook whose kernel is connected.
When the server stops for that reason, and only then, it leaves a marker file behind: the seat's
systemd unit powers the machine off on seeing it, and EC2 stops the instance.
"""

CHECK_SECONDS = 60


def stop_when_idle(c, app_section, app_class, idle_minutes, marker):
    """Configure idle culling and shutdown on one Jupyter generation's app section."""
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
