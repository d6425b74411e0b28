// Package forecast projects children in care, their placements and the cost
// of them, with intervals, and measures how accurate the projections have been.
//
// Three models share the package:
//
//   - the published-statistics model (StockFlowModel, PublishedForecast) for
//     any council from the DfE series of stock at 31 March, starts and ceases;
//   - the child-level model (Fit, Simulate): entries, placement moves, exits
//     and ageing estimated from SSDA903 histories over a reference window and
//     projected by Monte Carlo simulation of individual children;
//   - the deterministic reference mode (Markov), the open v2 method: a daily
//     Markov chain with binomial/Poisson variance accumulated linearly.
//
// Backtest scores the published-statistics model against the naive baselines
// on rolling origins. The method and the accuracy tables are in docs/METHOD.md.
package forecast
