"""The frame around the views: the application, the main window and its menus, file actions
and the session (autosave, recovery), and DocumentModel, the one channel views listen to."""
