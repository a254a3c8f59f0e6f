"""Publicity (公示) and finalisation (认定): working days, the bureau's holiday table, the
publicity period, objections, and certifying a round."""
