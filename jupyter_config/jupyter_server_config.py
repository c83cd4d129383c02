# The project's Jupyter server configuration. `make lab` points JUPYTER_CONFIG_PATH here; it
# adds to (does not replace) the user's own ~/.jupyter configuration.
c = get_config()  # noqa: F821 (defined by Jupyter when it loads this file)

# Notebooks of notebooks/ are saved as they are committed: no outputs, no execution counts,
# no run-time metadata (workbench/lab.py says what and why). Git then sees no change after a
# notebook was opened, run and saved.
c.FileContentsManager.pre_save_hook = "workbench.lab.pre_save_hook"

# Kernels get CurveZMQ keys when their kernelspec declares support (ipykernel declares
# "curve"), so ipykernel >= 7 has no reason to log "Kernel is running over TCP without
# encryption"; the report builder does the same (workbench/reports/kernel.py).
c.MappingKernelManager.transport_encryption = "auto"
