"""The core the front ends serve: the library of papers (`library.py`), the gate every read goes through
(`view.py`, `access.py`), the factories that build the index backend, embedder and generator (`backends.py`),
and the one settings table (`settings.py`); `cli/` is the `papers` command, a front end like the API and the bot."""
