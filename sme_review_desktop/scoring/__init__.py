"""Expert scoring (专家评审): schemes, experts and conflicts, scores, aggregation, decisions."""

from sme_review_desktop.scoring.aggregate import aggregate, aggregates_for_round, outliers, rank

__all__ = ["aggregate", "aggregates_for_round", "outliers", "rank"]
