// Package ssda903 reads the DfE SSDA903 children-looked-after return in the
// three layouts in use (the DfE CSV loading format, the DfE XML return and the
// regional "platform" CSV layout), stitches several years into one history per
// child, and validates returns against the DfE rule codes (subpackage rules).
//
// Readers produce Tables of raw, normalised string values with the file and line
// each row came from, so that every finding can point at the exact cell. The
// conversion to domain values (care.Child, care.Episode) happens after
// validation, in Stitch.
package ssda903
