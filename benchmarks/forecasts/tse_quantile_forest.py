"""Quantile regression forest (Meinshausen 2006) on top of scikit-learn's forests: a test point's
conditional distribution is the training targets weighted by how often they share a leaf with it.

The TSE backtest is scored by mean absolute error, whose best point forecast is the conditional
median, not the mean a plain forest returns; and the same weighted distribution gives the probability
of any outcome class (below / at / above a margin) without fitting a separate classifier.
Pure module: no Django import.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, RandomForestRegressor


def leaf_weights(forest: RandomForestRegressor | ExtraTreesRegressor, x_train: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Row i: weights over the training rows that sum to 1. A training row gets 1/size of every leaf it
    shares with x[i], averaged over the trees."""
    train_leaves = forest.apply(x_train)
    leaves = forest.apply(x)
    weights = np.zeros((len(x), len(x_train)))
    for tree in range(train_leaves.shape[1]):
        same = leaves[:, tree, None] == train_leaves[None, :, tree]
        weights += same / same.sum(axis=1, keepdims=True)
    return weights / train_leaves.shape[1]


def weighted_quantile(weights: np.ndarray, values: np.ndarray, q: float = 0.5) -> np.ndarray:
    """Per row of `weights`, the smallest value whose cumulative weight reaches q of the row's total."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[:, order], axis=1)
    return values[order][(cumulative >= q * cumulative[:, -1:]).argmax(axis=1)]
