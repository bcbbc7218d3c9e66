"""Papers straight from a council's committee site (ModernGov, Legistar): its committees, meetings, agenda items and
documents, downloaded politely and ingested with what the site says of them."""
