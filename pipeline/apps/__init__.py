"""What people run: the command line (extract, evaluate, show, serve, query) and what each command does."""
