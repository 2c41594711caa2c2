"""`make load`: a load and fault run against the real server (see ``benchmarks.load.run``)."""
