"""The review of one round (逐条审核): evaluating its dossiers through the rule engine, the
walk-through's state (conclusions per clause, notes, evidence links), opening evidence with the
system's program, and the measure's text as HTML."""
