package postgres

import (
	"context"
	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

// Referral drafts and providers' vacancy updates on PostgreSQL; see
// workflow.DraftStore and workflow.VacancyStore. The statements and audit
// entries are sqlshared's (drafts.go), the same for SQLite; here they lock
// the rows they change (a draft's row; a provision's vacancy rows in id
// order, as Accept locks them, so an acceptance and an update never
// interleave).

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
	err := db.write(ctx, "save referral draft "+d.Reference, func(tx pgx.Tx) (err error) {
		out, err = sqlshared.SaveDraft(ctx, pgTx{tx}, db.stamp(), d, actor)
		if violates(err, "referral_drafts_pkey") {
			return care.Errorf(care.ECONFLICT, "referral %s was saved by someone else at the same moment; open it again", d.Reference)
		}
		return err
	})
	return out, err
}

// Draft returns one draft, recording the read; see workflow.DraftStore.
func (db *DB) Draft(ctx context.Context, reference string) (workflow.Draft, error) {
	var out workflow.Draft
	err := db.write(ctx, "read referral draft "+reference, func(tx pgx.Tx) error {
		var err error
		if out, err = sqlshared.Draft(ctx, pgTx{tx}, reference); err != nil {
			return err
		}
		return db.auditRead(ctx, tx, sqlshared.ActionDraftRead, out.Council, sqlshared.DraftDetail(out))
	})
	return out, err
}

// Drafts returns a council's drafts, newest first, recording the read; see
// workflow.DraftStore.
func (db *DB) Drafts(ctx context.Context, council string) (out []workflow.Draft, err error) {
	err = db.audited(ctx, sqlshared.ActionDraftRead, council, "all referrals", func(tx pgx.Tx) error {
		out, err = sqlshared.Drafts(ctx, pgTx{tx}, council)
		return err
	})
	return out, err
}

// Cases returns one page of the referrals list, recording a read of each
// council's drafts; see workflow.CaseLister.
func (db *DB) Cases(ctx context.Context, q workflow.CaseQuery) (out []workflow.Case, err error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	err = db.inTx(ctx, "list referrals", pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		if out, err = sqlshared.Cases(ctx, pgTx{tx}, q); err != nil {
			return err
		}
		for _, council := range q.Councils {
			if err := db.auditRead(ctx, tx, sqlshared.ActionDraftRead, council, sqlshared.CasesDetail); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// SetVacancy replaces a provision's vacancies with one, confirmed now; see
// workflow.VacancyStore.
func (db *DB) SetVacancy(ctx context.Context, v workflow.VacancyUpdate, actor string) ([]care.Vacancy, error) {
	if err := v.Check(); err != nil {
		return nil, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out []care.Vacancy
	err := db.write(ctx, "update vacancy of "+v.ProvisionID, func(tx pgx.Tx) (err error) {
		out, err = sqlshared.SetVacancy(ctx, pgTx{tx}, db.stamp(), v, actor)
		return err
	})
	return out, err
}
