"""The language work: the spaCy pipeline (segmentation, page layout, the extractors) and the values it puts on spans."""
