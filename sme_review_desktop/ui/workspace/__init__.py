"""The dossier view: the article-by-article walk-through with evidence and notes."""
