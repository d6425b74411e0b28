// Package ssda903 reads the DfE SSDA903 children-looked-after return in the
// three layouts in use (the DfE CSV loading format, the DfE XML return and the
// regional "platform" CSV layout), stitches several years into one history per
// child, and validates returns against the DfE rule codes (subpackage rules).
//
// Readers produce Tables of raw, normalised string values with the file and line
// each row came from, so that every finding can point at the exact cell. The
// conversion to domain values (care.Child, care.Episode) happens after
// validation, in Stitch.
//
// Reading:
//   - Read takes files and folders and returns one Return per council and
//     collection year (how the council and year are found is documented on
//     Read). ReadFile reads one file; ScanFile streams one file's rows to a
//     callback without keeping them; ReadFrom reads from an io.Reader.
//   - A CSV file's table is recognised by its columns (RecogniseTable), never
//     by its name. Extra columns are allowed (Table.Extra); a missing optional
//     column reads as "" (Table.Present); a YEAR column makes the file the
//     platform layout, split by its LA and YEAR columns.
//   - What Excel does to files is undone: a UTF-8 byte-order mark, CRLF or
//     bare CR line ends, Windows-1252 text (any line that is not UTF-8),
//     UTF-16 "Unicode text" with tabs, semicolon delimiters, title lines
//     above the header, quoted fields, surrounding spaces and no-break
//     spaces, ="0123" text cells, trailing blank rows and trailing commas,
//     header names in any case. Code columns are upper-cased, postcodes
//     upper-cased with single inner spaces, CHILD and dates kept as written
//     (see ParseDate for the date forms accepted).
//   - A file that cannot be used at all is an error with code
//     care.EUNUSABLE naming the file and what to do; a row-level problem is
//     a Finding with a READ-* code (READ-FIELDS, READ-QUOTE, READ-ENCODING,
//     ...), its file and line.
//
// Stitching: Stitch joins the returns of several years into a History, with
// every rule it applies documented in StitchRules and counted in the
// StitchReport; MergeRedundant merges legal-status-only and same-carer
// episodes for analysis.
package ssda903
