"""Reading and writing: inputs to documents (text, JSONL, HTML; decoding), documents' tables to CSV/Parquet, the checkpoint."""
