"""Local fakes of the committee sites `papers sync` reads, served by pytest-httpserver (no network in tests)."""
