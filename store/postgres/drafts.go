package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

var (
	_ workflow.DraftStore   = (*DB)(nil)
	_ workflow.VacancyStore = (*DB)(nil)
)

const draftColumns = `reference, council, child_id, emergency, referral::text, created_at, created_by, updated_at, updated_by`

func scanDraft(r pgx.Row) (workflow.Draft, error) {
	var d workflow.Draft
	var data string
	if err := r.Scan(&d.Reference, &d.Council, &d.ChildID, &d.Emergency, &data, &d.CreatedAt, &d.CreatedBy, &d.UpdatedAt, &d.UpdatedBy); err != nil {
		return d, err
	}
	d.Referral = []byte(data)
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

// SaveDraft stores or replaces a draft; see workflow.DraftStore. The draft's
// row is locked while it is checked and changed.
func (db *DB) SaveDraft(ctx context.Context, d workflow.Draft, actor string) (workflow.Draft, error) {
	if err := sqlshared.CheckDraft(d); err != nil {
		return workflow.Draft{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out workflow.Draft
	err := db.write(ctx, "save referral draft "+d.Reference, func(tx pgx.Tx) error {
		now := db.stamp()
		var council string
		err := tx.QueryRow(ctx, `SELECT council FROM referral_drafts WHERE reference = $1 FOR UPDATE`, d.Reference).Scan(&council)
		found := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM referrals WHERE reference = $1`, d.Reference).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return sqlshared.ErrDraftSent(d.Reference)
		}
		switch {
		case !found:
			_, err = tx.Exec(ctx, `INSERT INTO referral_drafts (reference, council, child_id, emergency, referral, created_at, created_by, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $6, $7)`, d.Reference, d.Council, d.ChildID, d.Emergency, string(d.Referral), now, actor)
			if violates(err, "referral_drafts_pkey") {
				err = care.Errorf(care.ECONFLICT, "referral %s was saved by someone else at the same moment; open it again", d.Reference)
			}
		case council != d.Council:
			err = sqlshared.ErrDraftOtherCouncil(d.Reference)
		default:
			_, err = tx.Exec(ctx, `UPDATE referral_drafts SET child_id = $1, emergency = $2, referral = $3::jsonb, updated_at = $4, updated_by = $5 WHERE reference = $6`,
				d.ChildID, d.Emergency, string(d.Referral), now, actor, d.Reference)
		}
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, sqlshared.ActionDraftSave, d.Council, sqlshared.DraftDetail(d)); err != nil {
			return err
		}
		out, err = scanDraft(tx.QueryRow(ctx, `SELECT `+draftColumns+` FROM referral_drafts WHERE reference = $1`, d.Reference))
		return err
	})
	return out, err
}

// Draft returns one draft, recording the read; see workflow.DraftStore.
func (db *DB) Draft(ctx context.Context, reference string) (workflow.Draft, error) {
	var out workflow.Draft
	err := db.write(ctx, "read referral draft "+reference, func(tx pgx.Tx) error {
		var err error
		out, err = scanDraft(tx.QueryRow(ctx, `SELECT `+draftColumns+` FROM referral_drafts WHERE reference = $1`, reference))
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoDraft(reference)
		}
		if err != nil {
			return err
		}
		return db.auditRead(ctx, tx, sqlshared.ActionDraftRead, out.Council, sqlshared.DraftDetail(out))
	})
	return out, err
}

// Drafts returns a council's drafts, newest first, recording the read; see
// workflow.DraftStore.
func (db *DB) Drafts(ctx context.Context, council string) ([]workflow.Draft, error) {
	var out []workflow.Draft
	err := db.audited(ctx, sqlshared.ActionDraftRead, council, "all referrals", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+draftColumns+` FROM referral_drafts WHERE council = $1 ORDER BY created_at DESC, reference`, council)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (workflow.Draft, error) { return scanDraft(r) })
		return err
	})
	return out, err
}

// SetVacancy replaces a provision's vacancies with one, confirmed now; see
// workflow.VacancyStore. The provision's vacancy rows are locked first, in id
// order as Accept locks them, so an acceptance and an update never interleave.
func (db *DB) SetVacancy(ctx context.Context, v workflow.VacancyUpdate, actor string) ([]care.Vacancy, error) {
	if err := v.Check(); err != nil {
		return nil, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out []care.Vacancy
	err := db.write(ctx, "update vacancy of "+v.ProvisionID, func(tx pgx.Tx) error {
		var owner, council string
		err := tx.QueryRow(ctx, `SELECT owner, council FROM provisions WHERE id = $1`, v.ProvisionID).Scan(&owner, &council)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoProvision(v.ProvisionID)
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id FROM vacancies WHERE provision_id = $1 ORDER BY id FOR UPDATE`, v.ProvisionID)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		id := sqlshared.VacancyID(v.ProvisionID)
		if len(ids) > 0 {
			id = ids[0]
		}
		if _, err := tx.Exec(ctx, `DELETE FROM vacancies WHERE provision_id = $1`, v.ProvisionID); err != nil {
			return err
		}
		now := db.stamp()
		if v.Places > 0 {
			from := v.ValidFrom
			if from.IsZero() {
				from = now
			}
			vac := care.Vacancy{ID: id, ProvisionID: v.ProvisionID, Places: v.Places, ValidFrom: from, UpdatedAt: now, WeeklyPrice: v.WeeklyPrice}
			if _, err := tx.Exec(ctx, `INSERT INTO vacancies (id, provision_id, places, valid_from, updated_at, weekly_price) VALUES ($1, $2, $3, $4, $5, $6)`,
				sqlshared.VacancyValues(&vac, sqlshared.Native)...); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, now, actor, sqlshared.ActionVacancy, council, sqlshared.VacancyDetail(v, owner)); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT id, provision_id, places, valid_from, updated_at, weekly_price FROM vacancies WHERE provision_id = $1 ORDER BY id`, v.ProvisionID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (care.Vacancy, error) { return sqlshared.ScanVacancy(r, sqlshared.Native) })
		return err
	})
	return out, err
}
