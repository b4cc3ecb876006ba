"""The Qt app, grouped by view: ``shell/`` (window, menus, files, DocumentModel), ``canvas/``,
``panels/``, ``charts/``, ``workshop/``, ``timing/``, ``export/``; ``style.py`` is the theme.
Views take the DocumentModel, push core commands and show what the analysis says."""
