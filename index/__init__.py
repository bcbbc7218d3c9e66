"""Hybrid search over chunks: BM25 and sentence-transformer embeddings in FAISS, fused, filtered, persisted."""
