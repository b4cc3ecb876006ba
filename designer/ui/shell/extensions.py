"""Modules that plug into the main window, in tab order: each has ``install(window)``, adds its
own tab or menu entries, and imports nothing heavy."""
EXTENSIONS: list[str] = ["designer.ui.export.export_menu",
                         "designer.ui.export.diagram_export",
                         "designer.ui.workshop.compare_view",
                         "designer.ui.workshop.sweep_view",
                         "designer.ui.workshop.block_compare_view",
                         "designer.ui.timing.bench_panel",
                         "designer.ui.timing.estimate_chart",
                         "designer.ui.shell.import_menu"]
