"""The Qt app. Views take the DocumentModel, push core commands and show what the analysis says."""
