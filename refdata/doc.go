// Package refdata holds the public reference data the platform is built on,
// embedded in the binary: the 153 English children's services councils (codes,
// region, centroid, 0–17 population, statistical neighbours, Ofsted ILACS
// judgement), the DfE children-looked-after statistics (national series and
// breakdowns, per-council totals and placement mix), council spend (RO3), the
// Ofsted register of children's social care providers at 31 March 2025, ONS
// postcode district and sector centroids, and curated market and cost figures.
//
// Every file is real published data (Crown copyright, Open Government Licence
// v3.0, except the curated market figures, which are facts reported by named
// public bodies); see PROVENANCE.md in this directory and docs/DATA.md.
//
// Each data set is parsed once, lazily, on first use (sync.Once). Accessors
// return fresh copies or slices the caller may keep; changing them does not
// change what later callers see. Figures the publisher suppressed ("c"), did
// not have ("x", "..") or that do not apply ("z") are Figure values with
// Known false, never zero.
//
// The embedded files are checked by this package's tests; a loader panics only
// if the embedded data itself is corrupt, which the tests would catch first.
// Bad input from callers (unknown codes, names) is reported as *care.Error.
package refdata

// Attribution is the notice the product must show wherever it presents this
// data (Open Government Licence v3.0; the last three sentences cover the ONS
// Postcode Directory).
const Attribution = "Contains public sector information licensed under the Open Government Licence v3.0. " +
	"Contains OS data © Crown copyright and database right; " +
	"Contains Royal Mail data © Royal Mail copyright and database right; " +
	"Contains National Statistics data © Crown copyright and database right."
