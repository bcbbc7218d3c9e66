"""The HTTP API and search page for officers (FastAPI): search, ask, meetings, documents, uploads."""
