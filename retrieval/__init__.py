"""Answers with cited passages: query analysis, candidates from the index, reranking, extractive composition."""
