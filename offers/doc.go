// Package offers runs the provider offers workflow of a placement search: a
// referral goes, pseudonymised (no name, month and year of birth, postcode
// districts only, an opaque reference instead of the council's ids), to the
// providers on its shortlist only (the best-ranked eligible provisions from
// package match, or those the council chooses among them); each provider
// offers or declines with a structured reason; the council accepts one offer,
// which reserves the place atomically, so two councils can never be given
// the same bed; the other open offers are withdrawn; a referral can be
// cancelled, which releases a reserved place. Every change is timestamped with
// who made it. Decline reasons are counted by reason, provider and council
// over a period, for the gap analysis.
//
// The states, transitions, records and the steps of each change are in
// package workflow (below the stores, which implement workflow.Store); this
// package adds what needs more than the domain: pseudonymisation of a
// referral, shortlisting with package match, sending, and the decline report.
package offers
