"""One document through the pipeline into table rows, and chunks of documents for the engines."""
