package sqlite

import (
	"context"
	"database/sql"

	"sufficiency/care"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

// Referral drafts and providers' vacancy updates on SQLite; see
// workflow.DraftStore and workflow.VacancyStore. The statements and audit
// entries are sqlshared's (drafts.go), the same for PostgreSQL.

var (
	_ workflow.DraftStore   = (*DB)(nil)
	_ workflow.VacancyStore = (*DB)(nil)
	_ workflow.CaseLister   = (*DB)(nil)
)

// SaveDraft stores or replaces a draft; see workflow.DraftStore.
func (db *DB) SaveDraft(ctx context.Context, d workflow.Draft, actor string) (workflow.Draft, error) {
	if err := sqlshared.CheckDraft(d); err != nil {
		return workflow.Draft{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out workflow.Draft
	err := db.write(ctx, "save referral draft "+d.Reference, func(tx *sql.Tx) (err error) {
		out, err = sqlshared.SaveDraft(ctx, sqlTx{tx}, db.now(), d, actor)
		return err
	})
	return out, err
}

// Draft returns one draft, recording the read; see workflow.DraftStore.
func (db *DB) Draft(ctx context.Context, reference string) (workflow.Draft, error) {
	var out workflow.Draft
	err := db.write(ctx, "read referral draft "+reference, func(tx *sql.Tx) error {
		var err error
		if out, err = sqlshared.Draft(ctx, sqlTx{tx}, reference); err != nil {
			return err
		}
		return db.auditRead(ctx, tx, sqlshared.ActionDraftRead, out.Council, sqlshared.DraftDetail(out))
	})
	return out, err
}

// Drafts returns a council's drafts, newest first, recording the read; see
// workflow.DraftStore.
func (db *DB) Drafts(ctx context.Context, council string) (out []workflow.Draft, err error) {
	err = db.audited(ctx, sqlshared.ActionDraftRead, council, "all referrals", func(tx *sql.Tx) error {
		out, err = sqlshared.Drafts(ctx, sqlTx{tx}, council)
		return err
	})
	return out, err
}

// Cases returns one page of the referrals list from a snapshot, then
// records a read of each council's drafts; see workflow.CaseLister.
func (db *DB) Cases(ctx context.Context, q workflow.CaseQuery) (out []workflow.Case, err error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	if err := db.read(ctx, "list referrals", func(tx *sql.Tx) error {
		out, err = sqlshared.Cases(ctx, sqlTx{tx}, q)
		return err
	}); err != nil {
		return nil, err
	}
	entries := make([]auditEntry, len(q.Councils))
	for i, council := range q.Councils {
		entries[i] = auditEntry{sqlshared.ActionDraftRead, council, sqlshared.CasesDetail}
	}
	if err := db.audit(ctx, entries...); err != nil {
		return nil, err
	}
	return out, nil
}

// SetVacancy replaces a provision's vacancies with one, confirmed now; see
// workflow.VacancyStore.
func (db *DB) SetVacancy(ctx context.Context, v workflow.VacancyUpdate, actor string) ([]care.Vacancy, error) {
	if err := v.Check(); err != nil {
		return nil, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out []care.Vacancy
	err := db.write(ctx, "update vacancy of "+v.ProvisionID, func(tx *sql.Tx) (err error) {
		out, err = sqlshared.SetVacancy(ctx, sqlTx{tx}, db.now(), v, actor)
		return err
	})
	return out, err
}
