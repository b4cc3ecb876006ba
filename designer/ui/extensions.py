"""Modules that plug into the main window: each has ``install(window)`` and imports nothing heavy."""
EXTENSIONS: list[str] = ["designer.ui.export_menu", "designer.ui.compare_view",
                         "designer.ui.bench_panel", "designer.ui.import_menu"]
