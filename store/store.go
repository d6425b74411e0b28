// Package store declares how sufficiency keeps what it has read: the Store
// interface every database implementation provides (store/sqlite, and a
// PostgreSQL one behind the same interface), the filter and record types its
// methods take and return, and helpers shared by the implementations.
//
// The contract every implementation must meet is the test suite in
// internal/storetest; implementations run it from their own tests.
//
// Rules every implementation follows:
//   - Each method is one transaction: it happens entirely or not at all.
//   - Child identifiers are stored as the council gave them, always scoped by
//     council: two councils may use the same CHILD id.
//   - Every read of child-level data (Children, Episodes, Findings, Returns)
//     appends an entry to the audit log in the same transaction, naming the
//     actor taken from the context (see WithActor), unless the context
//     carries a ReadLog (WithReadLog): then the read is noted there and
//     whoever made the log records it with the user action (Auditor).
//   - Dates are civil dates (midnight UTC); instants are kept in UTC to the
//     microsecond (the finest PostgreSQL keeps).
//   - Errors are *care.Error: EINVALID for an Import or supply that breaks the
//     store's rules, ENOTFOUND for a council or import that does not exist,
//     ECONFLICT for an import built on data that has changed since,
//     EINTERNAL for database faults.
package store

import (
	"context"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
)

// Store keeps children in care, their episodes, the raw SSDA903 returns they
// were read from, validation findings, supply and the audit log.
type Store interface {
	// ImportReturns stores one import in one transaction. It replaces exactly
	// the council-years listed in imp.Years (their raw tables), replaces the
	// council's stitched children and episodes with imp.Children and
	// imp.Episodes, and records the import with its files, counts and
	// findings. Nothing is changed when it returns an error. EINVALID when the
	// import breaks a rule (no council, an episode whose child is missing,
	// duplicate child ids, a table for a year not listed in Years, ...);
	// ECONFLICT when imp.Base is set and the council has been imported since.
	ImportReturns(ctx context.Context, imp Import) (ImportResult, error)
	// Councils summarises what is loaded for every council, ordered by code.
	Councils(ctx context.Context) ([]CouncilSummary, error)
	// Children returns the council's children with their needs, ordered by
	// id. ENOTFOUND when nothing is loaded for the council. Audited.
	Children(ctx context.Context, council string) ([]care.Child, error)
	// Episodes returns the council's stitched episodes ordered by child then
	// start, with weekly cost and funding. ENOTFOUND when nothing is loaded
	// for the council. Audited.
	Episodes(ctx context.Context, council string) ([]care.Episode, error)
	// EpisodesWhere returns the episodes q selects (see EpisodeQuery), read
	// through indexes. EINVALID when q.At is zero. Audited: one entry per
	// council whose episodes are returned, naming q.Purpose and the count.
	EpisodesWhere(ctx context.Context, q EpisodeQuery) ([]care.Episode, error)
	// ChildrenWhere returns the children, with their needs, of the episodes q
	// selects (q.Runs makes no difference): each once, ordered by council
	// then as Children orders them. EINVALID when q.At is zero. Audited: one
	// entry per council whose children are returned, naming q.Purpose and
	// the count.
	ChildrenWhere(ctx context.Context, q EpisodeQuery) ([]care.Child, error)
	// Imports lists the council's imports, oldest first ("" lists every
	// council's imports).
	Imports(ctx context.Context, council string) ([]ImportRecord, error)
	// Findings returns the validation findings recorded against an import,
	// in the order they were given. ENOTFOUND when there is no such import.
	// Audited.
	Findings(ctx context.Context, importID int64) ([]ssda903.Finding, error)
	// Returns gives back the raw SSDA903 tables stored for the council's
	// collection years (all stored years when years is empty), one Return per
	// year in year order, exactly as they were read (rows, lines, columns
	// present, extra columns). ENOTFOUND when nothing is loaded for the
	// council. Audited.
	Returns(ctx context.Context, council string, years []int) ([]*ssda903.Return, error)
	// ReplaceSupply replaces every provision and vacancy (the closed
	// settings are kept). EINVALID when a vacancy names a provision that is
	// not in provisions, or ids repeat.
	ReplaceSupply(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy) error
	// ReplaceSupplyWithClosed replaces every provision and vacancy, as
	// ReplaceSupply does, and the settings that have closed (supply's
	// closed.csv: ID, Kind, Sector, Council, Postcode, Places, Registered
	// and Closed are kept), in one transaction. EINVALID as ReplaceSupply,
	// and when a closed setting has no id or close date, closed before it
	// was registered, repeats, or is also an open provision.
	ReplaceSupplyWithClosed(ctx context.Context, provisions []care.Provision, vacancies []care.Vacancy, closed []care.Provision) error
	// ClosedSettings returns the settings that have closed, ordered by id:
	// the register's history the validator needs (rule 1008), never places
	// to offer.
	ClosedSettings(ctx context.Context) ([]care.Provision, error)
	// Provisions returns the provisions matching f, ordered by id.
	Provisions(ctx context.Context, f ProvisionFilter) ([]care.Provision, error)
	// Vacancies returns the vacancies matching f, ordered by valid-from date then id.
	Vacancies(ctx context.Context, f VacancyFilter) ([]care.Vacancy, error)
	// AuditLog returns the audit events matching f, oldest first.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEvent, error)
	// Close releases the database.
	Close() error
}

// Import is one import of SSDA903 returns for one council, as ingest prepares
// it: the raw tables of the collection years being replaced, and the council's
// whole stitched history after the import.
type Import struct {
	Council string // ONS code (or the code given with --la)
	// Years are the collection years (ending 31 March) this import replaces.
	// Every Return must be for one of them.
	Years []int
	// Returns hold the raw tables of those years, with rows left out already
	// removed. They are kept exactly as read; the tables of TypedTableNames
	// are also stored row for row in typed columns, where a value that cannot
	// be interpreted in its column's type is NULL.
	Returns []*ssda903.Return
	// Children and Episodes are the council's whole stitched history after the
	// import (every stored year, not only Years); they replace what was stored.
	Children []care.Child
	Episodes []care.Episode
	Files    []File            // the source files, with their SHA-256
	Findings []ssda903.Finding // every finding of validation, recorded against the import
	LeftOut  []LeftOut         // rows left out and why, counted by table and reason
	// StitchRules counts how often each stitching rule was applied.
	StitchRules map[string]int
	// AcceptedErrors records that the import was made despite error findings.
	AcceptedErrors bool
	// Actor is who imported; when blank the context's actor is used (WithActor).
	Actor string
	// Base, when set, is the council's last import id that Children and
	// Episodes were stitched on (CouncilSummary.LastImportID; 0 for a council
	// with nothing loaded). If another import of the council has been made
	// since, the import is refused with ECONFLICT, so a history stitched from
	// stale years never replaces a newer one.
	Base *int64
	// Progress, if set, is called as rows are written with the number written
	// so far and the total. It is called from the goroutine that called
	// ImportReturns.
	Progress func(done, total int)
}

// File is one source file of an import.
type File struct {
	Path   string // as given by the user
	SHA256 string // lower-case hex
	Size   int64  // bytes
}

// LeftOut counts rows that were not imported because they could not be
// interpreted, by table and reason.
type LeftOut struct {
	Table  ssda903.TableName
	Reason string // e.g. "CHILD is blank", "DECOM is not a date"
	Rows   int
}

// TableCount is the number of rows of one table of one collection year.
type TableCount struct {
	Year  int
	Table ssda903.TableName
	Rows  int
}

// ImportResult is what ImportReturns did.
type ImportResult struct {
	ImportID int64
	Children int          // children stored for the council after the import
	Episodes int          // stitched episodes stored for the council after the import
	Rows     []TableCount // raw rows stored, by year and table
	Replaced []int        // years that were already stored and have been replaced
}

// ImportRecord describes a past import.
type ImportRecord struct {
	ID             int64
	Council        string
	Years          []int
	Actor          string
	At             time.Time // when it was made, UTC
	Files          []File
	Children       int
	Episodes       int
	Rows           []TableCount
	Errors         int // error findings
	Warnings       int // warning findings
	LeftOut        []LeftOut
	StitchRules    map[string]int
	AcceptedErrors bool
}

// CouncilSummary is what is loaded for one council.
type CouncilSummary struct {
	Council      string
	Years        []int // collection years stored, ascending
	Children     int
	Episodes     int
	Imports      int
	LastImportID int64
	LastImport   time.Time // UTC
	LastActor    string
	// Span is the dates the council's episodes cover.
	Span Span
}

// ProvisionFilter selects provisions. Empty fields select everything.
type ProvisionFilter struct {
	IDs      []string
	Councils []string
	Kinds    []care.ProvisionKind
}

// VacancyFilter selects vacancies. Empty fields select everything.
type VacancyFilter struct {
	ProvisionIDs []string
	Councils     []string  // councils the provisions are in
	AvailableBy  time.Time // ValidFrom on or before this date; zero: any
}

// AuditFilter selects audit events. Empty fields select everything.
type AuditFilter struct {
	// Council selects entries about the council or that read its
	// child-level data (AuditEvent.Councils).
	Council string
	Actor   string
	Action  string
	Since   time.Time // at or after; zero: from the start
	Before  time.Time // strictly before; zero: to the end
}

// AuditEvent is one entry of the append-only audit log.
type AuditEvent struct {
	ID      int64
	At      time.Time
	Actor   string
	Action  string // e.g. "read children", "read episodes", "import"
	Council string
	// Councils lists every council whose child-level data a user action
	// read (AppendAudit), sorted; empty for a store's own entries.
	Councils []string
	Detail   string
}

// Audit actions recorded by stores.
const (
	ActionImport       = "import"
	ActionReadChildren = "read children"
	ActionReadEpisodes = "read episodes"
	ActionReadFindings = "read findings"
	ActionReadReturns  = "read returns"
)

// BulkLoader is implemented by stores that load many imports into an empty
// database faster by building the episodes' secondary indexes once, after
// the rows are written, than by keeping them up to date import by import
// (the import of a whole synth output, ingest.RunMany). Both store/sqlite
// and store/postgres implement it.
//
// BeginBulkLoad drops those indexes when the database holds no episodes,
// recording their definitions in the database in the same transaction, and
// reports whether it did; with episodes stored it changes nothing. Imports
// then run as before, each all or nothing. EndBulkLoad builds every recorded
// index again (nothing when none is recorded). It is crash-safe: opening the
// store builds any index still recorded, so an import stopped between the
// two leaves a database whose reads are correct (and, until it is next
// opened, slower), never one without its indexes for good.
type BulkLoader interface {
	BeginBulkLoad(ctx context.Context) (deferred bool, err error)
	EndBulkLoad(ctx context.Context) error
}

// Versioned is implemented by stores that keep a shared data version: a
// number that goes up with every import and every change to the supply
// (provisions and vacancies), committed with the change. Any number of app
// servers on one database compare it to know when what they cached from
// the store is stale. Both store/sqlite and store/postgres implement it.
type Versioned interface {
	// DataVersion is Versions().Data(): it goes up with any change.
	DataVersion(ctx context.Context) (int64, error)
	// Versions returns the version's two parts, read together.
	Versions(ctx context.Context) (Versions, error)
}

// Versions is the shared data version in two parts. Analysis goes up with
// every change to what the analyses read (an import, an erasure, the
// provisions replaced or edited); Vacancies with every change to the
// vacancies (a provider's update, a place taken or given back by an offer),
// which happen many times an hour and which no picture, review, market or
// scope reads. A cache of an analysis follows Analysis; one of anything
// that reads vacancies (the match index) follows Data.
type Versions struct {
	Analysis, Vacancies int64
}

// Data is the whole data version: it goes up whenever either part does
// (both only ever go up).
func (v Versions) Data() int64 { return v.Analysis + v.Vacancies }

// TableReader is implemented by stores that can give back only some tables
// of the stored returns: Returns with every table not named in tables left
// out (all of them when tables is empty). A question that needs one or two
// tables of four years (the review's statutory reviews and missing
// episodes) then decodes only those. Audited as Returns, the tables named
// in the detail. Both store/sqlite and store/postgres implement it.
type TableReader interface {
	ReturnTables(ctx context.Context, council string, years []int, tables []ssda903.TableName) ([]*ssda903.Return, error)
}

// Eraser is implemented by stores that can erase one child's records on
// request (a data subject's right to erasure). Both store/sqlite and
// store/postgres implement it.
type Eraser interface {
	// EraseChild removes every record of the council's child: the child,
	// needs and episodes, the child's rows of every stored return (raw and
	// typed), the findings about the child, and referral drafts; the
	// council's counts and dates are updated and the data version raised.
	// It appends an "erase" audit entry naming the actor and reason. All or
	// nothing. ENOTFOUND when the council holds no such child; EINVALID
	// without a reason.
	EraseChild(ctx context.Context, council, child, reason string) (Erasure, error)
}

// Erasure counts what EraseChild removed.
type Erasure struct {
	Episodes   int
	ReturnRows int // rows of the stored raw returns
	Findings   int
	Drafts     int
}

// ActionErase is the audit action of an erasure.
const ActionErase = "erase"

// Migration is one schema migration and whether it has been applied.
type Migration struct {
	Version int
	Name    string
	Applied time.Time // zero: not applied yet
	// Unknown marks a version recorded in the database that this program
	// does not know (written by a newer one).
	Unknown bool
}

type actorKey struct{}

// WithActor returns a context that names who is acting; stores record it in the
// audit log and against imports.
func WithActor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, actorKey{}, name)
}

// ActorFrom returns the actor named in ctx, or UnknownActor.
func ActorFrom(ctx context.Context) string {
	if s, ok := ctx.Value(actorKey{}).(string); ok && s != "" {
		return s
	}
	return UnknownActor
}

// UnknownActor is recorded when no actor is named.
const UnknownActor = "unknown"
