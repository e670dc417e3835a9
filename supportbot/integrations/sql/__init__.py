"""The built-in SQL back end: ``schema`` (tables), ``backend`` (the Protocols), ``seed`` (demo and volume)."""
