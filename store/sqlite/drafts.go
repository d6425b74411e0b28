package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

var (
	_ workflow.DraftStore   = (*DB)(nil)
	_ workflow.VacancyStore = (*DB)(nil)
)

const draftColumns = `reference, council, child_id, emergency, referral, created_at, created_by, updated_at, updated_by`

func scanDraft(r sqlshared.Row) (workflow.Draft, error) {
	var d workflow.Draft
	var data, created, updated string
	if err := r.Scan(&d.Reference, &d.Council, &d.ChildID, &d.Emergency, &data, &created, &d.CreatedBy, &updated, &d.UpdatedBy); err != nil {
		return d, err
	}
	d.Referral = []byte(data)
	var err error
	if d.CreatedAt, err = store.ParseTimeString(created); err != nil {
		return d, err
	}
	d.UpdatedAt, err = store.ParseTimeString(updated)
	return d, err
}

// SaveDraft stores or replaces a draft; see workflow.DraftStore.
func (db *DB) SaveDraft(ctx context.Context, d workflow.Draft, actor string) (workflow.Draft, error) {
	if err := sqlshared.CheckDraft(d); err != nil {
		return workflow.Draft{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	var out workflow.Draft
	err := db.write(ctx, "save referral draft "+d.Reference, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM referrals WHERE reference = ?`, d.Reference).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return sqlshared.ErrDraftSent(d.Reference)
		}
		now := store.TimeString(db.now())
		var council string
		err := tx.QueryRowContext(ctx, `SELECT council FROM referral_drafts WHERE reference = ?`, d.Reference).Scan(&council)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO referral_drafts (`+draftColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				d.Reference, d.Council, d.ChildID, d.Emergency, string(d.Referral), now, actor, now, actor)
		case err != nil:
		case council != d.Council:
			err = sqlshared.ErrDraftOtherCouncil(d.Reference)
		default:
			_, err = tx.ExecContext(ctx, `UPDATE referral_drafts SET child_id = ?, emergency = ?, referral = ?, updated_at = ?, updated_by = ? WHERE reference = ?`,
				d.ChildID, d.Emergency, string(d.Referral), now, actor, d.Reference)
		}
		if err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, db.now(), actor, sqlshared.ActionDraftSave, d.Council, sqlshared.DraftDetail(d)); err != nil {
			return err
		}
		out, err = scanDraft(tx.QueryRowContext(ctx, `SELECT `+draftColumns+` FROM referral_drafts WHERE reference = ?`, d.Reference))
		return err
	})
	return out, err
}

// Draft returns one draft, recording the read; see workflow.DraftStore.
func (db *DB) Draft(ctx context.Context, reference string) (workflow.Draft, error) {
	var out workflow.Draft
	err := db.write(ctx, "read referral draft "+reference, func(tx *sql.Tx) error {
		var err error
		out, err = scanDraft(tx.QueryRowContext(ctx, `SELECT `+draftColumns+` FROM referral_drafts WHERE reference = ?`, reference))
		if errors.Is(err, sql.ErrNoRows) {
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
	err := db.audited(ctx, sqlshared.ActionDraftRead, council, "all referrals", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+draftColumns+` FROM referral_drafts WHERE council = ? ORDER BY created_at DESC, reference`, council)
		return readRows(rows, err, func(rows sqlshared.Rows) (err error) {
			out, err = sqlshared.ReadAll(rows, scanDraft)
			return err
		})
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
	err := db.write(ctx, "update vacancy of "+v.ProvisionID, func(tx *sql.Tx) error {
		var owner, council string
		err := tx.QueryRowContext(ctx, `SELECT owner, council FROM provisions WHERE id = ?`, v.ProvisionID).Scan(&owner, &council)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoProvision(v.ProvisionID)
		}
		if err != nil {
			return err
		}
		id := sqlshared.VacancyID(v.ProvisionID)
		tx.QueryRowContext(ctx, `SELECT id FROM vacancies WHERE provision_id = ? ORDER BY id LIMIT 1`, v.ProvisionID).Scan(&id)
		if _, err := tx.ExecContext(ctx, `DELETE FROM vacancies WHERE provision_id = ?`, v.ProvisionID); err != nil {
			return err
		}
		now := db.now()
		if v.Places > 0 {
			from := v.ValidFrom
			if from.IsZero() {
				from = now
			}
			vac := care.Vacancy{ID: id, ProvisionID: v.ProvisionID, Places: v.Places, ValidFrom: from, UpdatedAt: now, WeeklyPrice: v.WeeklyPrice}
			if _, err := tx.ExecContext(ctx, `INSERT INTO vacancies (id, provision_id, places, valid_from, updated_at, weekly_price) VALUES (?, ?, ?, ?, ?, ?)`,
				sqlshared.VacancyValues(&vac, sqlshared.Text)...); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, now, actor, sqlshared.ActionVacancy, council, sqlshared.VacancyDetail(v, owner)); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, provision_id, places, COALESCE(valid_from, ''), COALESCE(updated_at, ''), weekly_price
			FROM vacancies WHERE provision_id = ? ORDER BY id`, v.ProvisionID)
		return readRows(rows, err, func(rows sqlshared.Rows) (err error) {
			out, err = sqlshared.ReadAll(rows, func(r sqlshared.Row) (care.Vacancy, error) { return sqlshared.ScanVacancy(r, sqlshared.Text) })
			return err
		})
	})
	return out, err
}
