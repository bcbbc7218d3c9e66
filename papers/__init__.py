"""The `papers` console script and the one settings table that every layer reads."""
