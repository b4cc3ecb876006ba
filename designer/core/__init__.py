"""The Qt-free, torch-free core: the design document, commands, scaling, analysis, files, presets."""
