"""Text before any language work: Unicode normalisation, tone-mark folding, legacy encodings, Vietnamese numbers."""
