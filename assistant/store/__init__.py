"""Where clauses are stored and searched: the corpus store (FAISS + BM25 over many documents)."""
