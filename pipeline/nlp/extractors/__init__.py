"""One module per kind of thing extracted; each is a spaCy component."""
