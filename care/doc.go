// Package care is the domain vocabulary of sufficiency: children in care,
// their episodes and placements, the codes the DfE SSDA903 return uses for
// them, providers, money and the one error type every other package returns.
//
// It sits at the bottom of the import graph and depends only on the standard
// library. Capabilities (ingest, forecast, match, picture, ...) take and return
// these values; storage and presentation layers translate them.
package care
