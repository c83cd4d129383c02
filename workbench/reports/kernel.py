"""The kernel manager the report builder starts notebooks with.

Two lines used to appear on the console for every report although every report succeeded:

- ``Kernel is running over TCP without encryption`` — ipykernel >= 7 logs it at start-up when
  the connection file carries no CurveZMQ keys. jupyter_client provisions keys only when the
  manager's ``transport_encryption`` policy asks for it (default ``"disabled"``); the kernelspec
  of ipykernel declares ``supported_encryption: ["curve"]``. :class:`ReportKernelManager` sets
  the policy to ``"auto"``: keys are provisioned when the kernel declares support (and pyzmq has
  CurveZMQ), so the kernel's sockets are encrypted and the warning has no cause.
- ``KeyboardInterrupt caught in kernel`` — jupyter_client's graceful shutdown sends SIGINT to
  the kernel *before* its ``shutdown_request`` (``KernelManager._async_shutdown_kernel``). When
  the kernel is still busy with a message (a late comm or status reply after the last cell), the
  signal lands inside a handler and ipykernel logs it as an error. A notebook that papermill
  has finished has nothing left to interrupt, so :class:`ReportKernelManager` skips that
  interrupt while shutting down; the shutdown request, the SIGTERM and SIGKILL fall-backs of
  jupyter_client are unchanged, and an interrupt outside shutdown (a cell timeout) still goes
  through.

- ``Uncaught exception in ZMQStream callback ... Socket operation on non-socket`` — now and
  then ipykernel 7 flushes its stderr while answering the shutdown request after its own IOPub
  thread has closed (a race inside the kernel, harmless: the notebook is finished and saved).
  It is printed by the kernel *process* on the stderr it inherited from the builder. That
  stream is not the notebook's output (cell output and errors travel over IOPub and reach the
  report; a kernel that dies is reported per notebook by papermill as ``DeadKernelError``), so
  :class:`ReportKernelManager` starts kernels with their process stderr discarded. Set
  ``WORKBENCH_KERNEL_STDERR=1`` to see it again when debugging a kernel.

A real failure is unaffected: papermill raises with the notebook's cell and exception, which
the builder reports per notebook.
"""

from __future__ import annotations

import os
import subprocess

import zmq
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

__all__ = ["ReportKernelManager", "KERNEL_STDERR_ENV"]

KERNEL_STDERR_ENV = "WORKBENCH_KERNEL_STDERR"


class ReportKernelManager(AsyncKernelManager):
    """``AsyncKernelManager`` with Curve keys provisioned and no SIGINT on a clean shutdown."""

    @default("transport_encryption")
    def _transport_encryption_default(self) -> str:
        return "auto" if zmq.has("curve") else "disabled"

    async def _async_launch_kernel(self, kernel_cmd, **kw) -> None:
        if os.environ.get(KERNEL_STDERR_ENV, "") != "1":
            kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_interrupt_kernel(self) -> None:
        if getattr(self, "shutting_down", False):
            return
        await super()._async_interrupt_kernel()
