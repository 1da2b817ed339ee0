"""A pure generator of the demo city, Rivière-aux-Saules (Willow River), from a seed."""
