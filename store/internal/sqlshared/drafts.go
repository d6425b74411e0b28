package sqlshared

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/workflow"
)

// Audit actions of referral drafts and vacancy updates.
const (
	ActionDraftSave = "referral draft save"
	ActionDraftRead = "read referral draft"
	ActionVacancy   = "vacancy update"
)

// CheckDraft checks a draft before it is stored.
func CheckDraft(d workflow.Draft) error {
	switch {
	case strings.TrimSpace(d.Reference) == "":
		return care.Errorf(care.EINVALID, "draft: no reference; use workflow.NewDraft")
	case strings.TrimSpace(d.Council) == "":
		return care.Errorf(care.EINVALID, "draft %s: no council", d.Reference)
	case len(d.Referral) == 0:
		return care.Errorf(care.EINVALID, "draft %s: no referral", d.Reference)
	}
	return nil
}

// ErrDraftSent is the error for changing a draft already sent.
func ErrDraftSent(ref string) error {
	return care.Errorf(care.ECONFLICT, "referral %s has been sent: it can no longer be changed; withdraw it and start a new referral if the details were wrong", ref)
}

// ErrDraftOtherCouncil is the error for saving over another council's draft.
func ErrDraftOtherCouncil(ref string) error {
	return care.Errorf(care.ECONFLICT, "referral %s belongs to another council", ref)
}

// ErrNoDraft is the error for an unknown draft.
func ErrNoDraft(ref string) error {
	return care.Errorf(care.ENOTFOUND, "no referral %s", ref)
}

// ErrNoProvision is the error for a vacancy update of an unknown provision.
func ErrNoProvision(id string) error {
	return care.Errorf(care.ENOTFOUND, "no home or household %q in the supply", id)
}

// DraftDetail is the audit detail of a draft saved or read.
func DraftDetail(d workflow.Draft) string {
	return fmt.Sprintf("referral %s (child %s)", d.Reference, d.ChildID)
}

// VacancyDetail is the audit detail of a vacancy update.
func VacancyDetail(v workflow.VacancyUpdate, owner string) string {
	return fmt.Sprintf("%s (%s): %d place(s) free, confirmed", v.ProvisionID, owner, v.Places)
}

// VacancyID is the id of the one vacancy a provider's update leaves, when
// the provision had none.
func VacancyID(provision string) string { return provision + "-V" }

// Referral drafts and providers' vacancy updates (workflow.DraftStore,
// workflow.VacancyStore) written once for both databases. What differs is
// said here, by dialect: a draft's referral is text in SQLite and jsonb in
// PostgreSQL (draftColumns, jsonParam); PostgreSQL locks the rows a change
// reads (forUpdate: the draft's row; a provision's vacancy rows in id order,
// as Accept locks them), where SQLite's single writer serialises changes;
// SQLite reads an absent vacancy date as "" (vacancyColumns).

// draftColumns are the columns ScanDraft reads.
func draftColumns(d Dialect) string {
	referral := `referral`
	if d == Postgres {
		referral = `referral::text`
	}
	return `reference, council, child_id, emergency, ` + referral + `, created_at, created_by, updated_at, updated_by`
}

// jsonParam is parameter p as a JSON column takes it.
func jsonParam(d Dialect, p string) string {
	if d == Postgres {
		return p + `::jsonb`
	}
	return p
}

// forUpdate is the clause that locks the rows a SELECT reads until the
// transaction ends: PostgreSQL's FOR UPDATE; nothing for SQLite, whose
// write transactions are serialised.
func forUpdate(d Dialect) string {
	if d == Postgres {
		return ` FOR UPDATE`
	}
	return ``
}

// vacancyColumns are the columns ScanVacancy reads, of vacancies v.
func vacancyColumns(d Dialect) string {
	if d == Postgres {
		return `v.id, v.provision_id, v.places, v.valid_from, v.updated_at, v.weekly_price`
	}
	return `v.id, v.provision_id, v.places, COALESCE(v.valid_from, ''), COALESCE(v.updated_at, ''), v.weekly_price`
}

// ScanDraft scans a draft's columns (draftColumns).
func ScanDraft(r Row, c Codec) (workflow.Draft, error) {
	var d workflow.Draft
	var data string
	created, updated := c.Instant(), c.Instant()
	if err := r.Scan(&d.Reference, &d.Council, &d.ChildID, &d.Emergency, &data, created.Dest(), &d.CreatedBy, updated.Dest(), &d.UpdatedBy); err != nil {
		return d, err
	}
	d.Referral = []byte(data)
	var err error
	if d.CreatedAt, err = created.Value(); err != nil {
		return d, err
	}
	d.UpdatedAt, err = updated.Value()
	return d, err
}

// SaveDraft stores or replaces a draft (CheckDraft'd) by actor at now,
// audited then, and returns it as stored. ECONFLICT when the referral has
// been sent or the draft is another council's. On PostgreSQL a draft saved
// by someone else at the same moment comes back as the primary key's
// violation, for the store to map.
func SaveDraft(ctx context.Context, tx Tx, now time.Time, d workflow.Draft, actor string) (workflow.Draft, error) {
	dl := tx.Dialect()
	var council string
	err := tx.QueryRow(ctx, `SELECT council FROM referral_drafts WHERE reference = $1`+forUpdate(dl), d.Reference).Scan(&council)
	found := err == nil
	if err != nil && !tx.NoRows(err) {
		return workflow.Draft{}, err
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM referrals WHERE reference = $1`, d.Reference).Scan(&n); err != nil {
		return workflow.Draft{}, err
	}
	if n > 0 {
		return workflow.Draft{}, ErrDraftSent(d.Reference)
	}
	at := dl.Codec().EncodeInstant(now)
	switch {
	case !found:
		_, err = tx.Exec(ctx, `INSERT INTO referral_drafts (reference, council, child_id, emergency, referral, created_at, created_by, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, `+jsonParam(dl, "$5")+`, $6, $7, $6, $7)`, d.Reference, d.Council, d.ChildID, d.Emergency, string(d.Referral), at, actor)
	case council != d.Council:
		err = ErrDraftOtherCouncil(d.Reference)
	default:
		_, err = tx.Exec(ctx, `UPDATE referral_drafts SET child_id = $1, emergency = $2, referral = `+jsonParam(dl, "$3")+`, updated_at = $4, updated_by = $5 WHERE reference = $6`,
			d.ChildID, d.Emergency, string(d.Referral), at, actor, d.Reference)
	}
	if err != nil {
		return workflow.Draft{}, err
	}
	if err := AppendAudit(ctx, tx, now, actor, ActionDraftSave, d.Council, DraftDetail(d)); err != nil {
		return workflow.Draft{}, err
	}
	return ScanDraft(tx.QueryRow(ctx, `SELECT `+draftColumns(dl)+` FROM referral_drafts WHERE reference = $1`, d.Reference), dl.Codec())
}

// Draft reads one draft. ENOTFOUND when there is none. The caller records
// the read.
func Draft(ctx context.Context, tx Tx, reference string) (workflow.Draft, error) {
	d, err := ScanDraft(tx.QueryRow(ctx, `SELECT `+draftColumns(tx.Dialect())+` FROM referral_drafts WHERE reference = $1`, reference), tx.Dialect().Codec())
	if tx.NoRows(err) {
		return d, ErrNoDraft(reference)
	}
	return d, err
}

// Drafts reads a council's drafts, newest first. The caller records the
// read.
func Drafts(ctx context.Context, tx Tx, council string) ([]workflow.Draft, error) {
	var out []workflow.Draft
	err := tx.Each(ctx, `SELECT `+draftColumns(tx.Dialect())+` FROM referral_drafts WHERE council = $1 ORDER BY created_at DESC, reference`, []any{council}, func(r Row) error {
		d, err := ScanDraft(r, tx.Dialect().Codec())
		out = append(out, d)
		return err
	})
	return out, err
}

// SetVacancy replaces a provision's vacancies with one (none for no
// places), confirmed by actor at now and audited then, and returns the
// provision's vacancies afterwards. ENOTFOUND for an unknown provision.
func SetVacancy(ctx context.Context, tx Tx, now time.Time, v workflow.VacancyUpdate, actor string) ([]care.Vacancy, error) {
	dl := tx.Dialect()
	var owner, council string
	err := tx.QueryRow(ctx, `SELECT owner, council FROM provisions WHERE id = $1`, v.ProvisionID).Scan(&owner, &council)
	if tx.NoRows(err) {
		return nil, ErrNoProvision(v.ProvisionID)
	}
	if err != nil {
		return nil, err
	}
	id := ""
	if err := tx.Each(ctx, `SELECT id FROM vacancies WHERE provision_id = $1 ORDER BY id`+forUpdate(dl), []any{v.ProvisionID}, func(r Row) error {
		var s string
		if err := r.Scan(&s); err != nil || id != "" {
			return err
		}
		id = s
		return nil
	}); err != nil {
		return nil, err
	}
	if id == "" {
		id = VacancyID(v.ProvisionID)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM vacancies WHERE provision_id = $1`, v.ProvisionID); err != nil {
		return nil, err
	}
	if v.Places > 0 {
		from := v.ValidFrom
		if from.IsZero() {
			from = now
		}
		vac := care.Vacancy{ID: id, ProvisionID: v.ProvisionID, Places: v.Places, ValidFrom: from, UpdatedAt: now, WeeklyPrice: v.WeeklyPrice}
		if _, err := tx.Exec(ctx, InsertVacancy,
			VacancyValues(&vac, dl.Codec())...); err != nil {
			return nil, err
		}
	}
	if err := AppendAudit(ctx, tx, now, actor, ActionVacancy, council, VacancyDetail(v, owner)); err != nil {
		return nil, err
	}
	var out []care.Vacancy
	err = tx.Each(ctx, `SELECT `+vacancyColumns(dl)+` FROM vacancies v WHERE v.provision_id = $1 ORDER BY v.id`, []any{v.ProvisionID}, func(r Row) error {
		x, err := ScanVacancy(r, dl.Codec())
		out = append(out, x)
		return err
	})
	return out, err
}
