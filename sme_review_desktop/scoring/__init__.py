"""Expert scoring (专家评审): schemes, scores, aggregation, ranking."""

from .aggregate import aggregate, aggregates_for_round, outliers, rank

__all__ = ["aggregate", "aggregates_for_round", "outliers", "rank"]
