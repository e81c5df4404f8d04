"""Where chunks run: this process, a pool of local processes, or a Dask cluster; one interface, in input order."""
