"""Pure projections: views rebuilt from the journal."""
