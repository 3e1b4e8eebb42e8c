"""Pay scales and the pay and retention model. `rules` says what the pay data may hold, `data/` holds it (dated, with
sources), `loader` reads it (the edge), and `pay` and `projection` are pure: facts, data and dates in, figures out."""
