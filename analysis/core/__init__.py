"""Commit risk without Django: commit records and a clone's history, Kamei features and their
percentiles within the repository, SZZ, labels, fix detection, models, their calibration and
metrics, the global model and its training data, the scorers, the handover between models, the
reasons shown with a prediction, the repository insights and their charts."""
