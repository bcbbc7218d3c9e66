"""Read committee papers, understand their meeting, agenda and documents, and store them as agenda-item chunks."""
