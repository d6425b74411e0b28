package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
	"sufficiency/workflow"
)

// The offers workflow on PostgreSQL: the same tables, states, events and
// audit entries as store/sqlite/offers.go (one contract suite,
// storetest.RunOffers, runs against both).
//
// Concurrency. Every change runs in one READ COMMITTED transaction that
// first locks the referral's row (SELECT ... FOR UPDATE), so changes to one
// referral and its offers are serialised and each transition is checked
// against the state as it is. Accept then locks every vacancy row of the
// provision (FOR UPDATE, in id order), chooses the vacancy from the locked,
// current rows and takes the places with a conditional UPDATE (places >=
// needed) in the same transaction. A second council accepting the same bed
// waits on the row lock and, once the first commits, sees the vacancy with
// the places gone (or the row deleted) and gets ECONFLICT; nothing is
// reserved twice. At most one accepted offer per referral (partial unique
// index) and one reservation per referral (primary key) are enforced by the
// schema as well. A transaction PostgreSQL aborts to break a deadlock (for
// example against a concurrent ReplaceSupply deleting the same vacancies in
// another order) or for a serialisation failure is retried.

var _ workflow.Store = (*DB)(nil)

// actionOfferPrefix starts the audit actions of the offers workflow.
const actionOfferPrefix = workflow.ActionOfferPrefix

// offerRetries is how many times a transaction aborted by PostgreSQL
// (deadlock, serialisation failure) is run again before giving up.
const offerRetries = 5

// stamp is the clock's time as PostgreSQL stores it (microseconds), so what
// a change returns equals what is read back later.
func (db *DB) stamp() time.Time { return db.now().Truncate(time.Microsecond) }

// violates reports whether err is a unique violation of the named constraint
// (or index).
func violates(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

// retryable reports whether PostgreSQL aborted the transaction so that it
// can simply be run again: deadlock detected or serialisation failure.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// offerWrite runs fn as one READ COMMITTED transaction, again (a few times)
// when PostgreSQL aborts it with a deadlock or serialisation failure.
func (db *DB) offerWrite(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.write(ctx, what, fn)
		if err == nil || !retryable(err) {
			return err
		}
		if attempt == offerRetries {
			return care.WrapError(care.ECONFLICT, err, "%s: the database kept aborting the change because of concurrent changes; try again", what)
		}
		select {
		case <-ctx.Done():
			return dbError(ctx.Err(), what)
		case <-time.After(time.Duration(attempt) * 5 * time.Millisecond):
		}
	}
}

// SendReferral records a pseudonymised referral and its shortlist; see workflow.Store.
func (db *DB) SendReferral(ctx context.Context, r workflow.SentReferral, groupSize int, list []workflow.Entry, actor string) (workflow.Sent, error) {
	data, err := workflow.CheckReferral(r, groupSize, list)
	if err != nil {
		return workflow.Sent{}, err
	}
	var start any
	if r.StartDate != "" {
		d, err := time.Parse("2006-01-02", r.StartDate)
		if err != nil {
			return workflow.Sent{}, care.Errorf(care.EINVALID, "referral %s: start date %q is not YYYY-MM-DD", r.Reference, r.StartDate)
		}
		start = d
	}
	actor = sqlshared.OfferActor(ctx, actor)
	now := db.stamp()
	var out workflow.Sent
	err = db.offerWrite(ctx, "send referral "+r.Reference, func(tx pgx.Tx) error {
		if err := workflow.Send(&offerTx{ctx, tx, now, actor}, r, groupSize, list, start, data); err != nil {
			return err
		}
		sent, err := loadSent(ctx, tx, workflow.Filter{Reference: r.Reference})
		if err != nil {
			return err
		}
		out = sent[0]
		return nil
	})
	return out, err
}

// offerTx is the offers workflow's steps (workflow.AcceptTx) in one
// transaction, by actor at now.
type offerTx struct {
	ctx   context.Context
	tx    pgx.Tx
	now   time.Time
	actor string
}

var (
	_ workflow.AcceptTx = (*offerTx)(nil)
	_ workflow.SendTx   = (*offerTx)(nil)
)

// AddReferral stores an open referral.
func (t *offerTx) AddReferral(r workflow.SentReferral, group int, start any, data []byte) error {
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO referrals (reference, council, status, group_size, start_date, sent, sent_at, sent_by, updated_at, updated_by)
		VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $6, $7)`, r.Reference, r.Council, group, start, string(data), t.now, t.actor); err != nil {
		if violates(err, "referrals_pkey") {
			return workflow.ErrReferenceUsed(r.Reference)
		}
		return err
	}
	return nil
}

// AddOffer stores a pending offer at rank.
func (t *offerTx) AddOffer(ref string, e workflow.Entry, rank int) error {
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO offers (referral, provision_id, vacancy_id, rank, name, provider, kind, provision_council,
			miles, score, weekly_price, status, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13)`, ref, e.ProvisionID, e.VacancyID, rank, e.Name, e.Provider,
		e.Kind, e.Council, e.Miles, e.Score, int64(e.WeeklyPrice), t.now, t.actor); err != nil {
		if violates(err, "offers_rank_key") {
			return workflow.ErrRankTwice(ref, rank)
		}
		return err
	}
	return nil
}

// Event appends an offer event.
func (t *offerTx) Event(ref, provision, action, from, to string, reason workflow.Reason, note string) error {
	_, err := t.tx.Exec(t.ctx, `INSERT INTO offer_events (referral, provision_id, at, actor, action, from_status, to_status, reason, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ref, provision, t.now, t.actor, action, from, to, string(reason), note)
	return err
}

// Audit appends an audit entry.
func (t *offerTx) Audit(action, council, detail string) error {
	return appendAudit(t.ctx, t.tx, t.now, t.actor, action, council, detail)
}

// Referral locks the referral's row for the rest of the transaction and
// reads its status, council, places needed and start date (YYYY-MM-DD or
// ""). Every change to a referral or its offers takes this lock first.
// ENOTFOUND when there is no such referral.
func (t *offerTx) Referral(ref string) (status workflow.ReferralStatus, council string, group int, start string, err error) {
	var st string
	err = t.tx.QueryRow(t.ctx, `SELECT status, council, group_size, COALESCE(to_char(start_date, 'YYYY-MM-DD'), '')
		FROM referrals WHERE reference = $1 FOR UPDATE`, ref).Scan(&st, &council, &group, &start)
	if errors.Is(err, pgx.ErrNoRows) {
		err = workflow.ErrNoReferral(ref)
	}
	return workflow.ReferralStatus(st), council, group, start, err
}

// Offer reads one offer's status and shortlisted vacancy. ENOTFOUND,
// listing the shortlist, when the provision was not sent the referral.
func (t *offerTx) Offer(ref, provision string) (workflow.Status, string, error) {
	var st, vac string
	err := t.tx.QueryRow(t.ctx, `SELECT status, vacancy_id FROM offers WHERE referral = $1 AND provision_id = $2`, ref, provision).Scan(&st, &vac)
	if errors.Is(err, pgx.ErrNoRows) {
		var ids []string
		rows, err := t.tx.Query(t.ctx, `SELECT provision_id FROM offers WHERE referral = $1 ORDER BY rank`, ref)
		if err := readRows(rows, err, func(rows sqlshared.Rows) (err error) {
			ids, err = sqlshared.ReadAll(rows, sqlshared.String)
			return err
		}); err != nil {
			return "", "", err
		}
		return "", "", workflow.ErrNotShortlisted(ref, provision, ids)
	}
	return workflow.Status(st), vac, err
}

// SetOffer moves one offer from one status to another with a conditional
// update, so a change made meanwhile is never overwritten.
func (t *offerTx) SetOffer(ref, provision string, from, to workflow.Status, a *workflow.Answer) error {
	q := `UPDATE offers SET status = $1, updated_at = $2, updated_by = $3`
	args := []any{string(to), t.now, t.actor}
	if a != nil {
		q += `, reason = $4, note = $5, offered_price = $6, responded_at = $7, conditions = $8`
		args = append(args, string(a.Reason), a.Note, int64(a.Price), t.now, a.Conditions)
	}
	n := len(args)
	q += fmt.Sprintf(` WHERE referral = $%d AND provision_id = $%d AND status = $%d`, n+1, n+2, n+3)
	tag, err := t.tx.Exec(t.ctx, q, append(args, ref, provision, string(from))...)
	if err != nil {
		if violates(err, "offers_one_accepted") {
			return workflow.ErrAlreadyAccepted(ref)
		}
		return err
	}
	if tag.RowsAffected() != 1 {
		return workflow.ErrOfferChanged(ref, provision)
	}
	return nil
}

// OpenOffers lists the referral's pending, offered and accepted offers.
func (t *offerTx) OpenOffers(ref string) ([]workflow.OpenOffer, error) {
	rows, err := t.tx.Query(t.ctx, `SELECT provision_id, status FROM offers WHERE referral = $1 AND status IN ('pending', 'offered', 'accepted') ORDER BY rank`, ref)
	var open []workflow.OpenOffer
	err = readRows(rows, err, func(rows sqlshared.Rows) (err error) {
		open, err = sqlshared.ReadAll(rows, sqlshared.ScanOpenOffer)
		return err
	})
	return open, err
}

// SetReferral moves a referral from one status to another with a note.
func (t *offerTx) SetReferral(ref string, from, to workflow.ReferralStatus, note string) error {
	tag, err := t.tx.Exec(t.ctx, `UPDATE referrals SET status = $1, note = $2, updated_at = $3, updated_by = $4 WHERE reference = $5 AND status = $6`,
		string(to), note, t.now, t.actor, ref, string(from))
	if err != nil {
		return err
	}
	if tag.RowsAffected() != 1 {
		return workflow.ErrReferralChanged(ref)
	}
	return nil
}

// AcceptedWith is the provision whose offer was accepted ("" when none).
func (t *offerTx) AcceptedWith(ref string) (string, error) {
	var with string
	err := t.tx.QueryRow(t.ctx, `SELECT provision_id FROM offers WHERE referral = $1 AND status = 'accepted'`, ref).Scan(&with)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return "", err
	}
	return with, nil
}

// vacancyRow is a vacancy as locked by TakePlaces.
type vacancyRow struct {
	id        string
	places    int
	validFrom *time.Time
	price     int64
}

// TakePlaces locks the provision's vacancies and chooses one from their
// current state: the shortlisted vacancy first, else another free by the
// start date, earliest valid-from (none first), then by id.
func (t *offerTx) TakePlaces(provision string, group int, start, shortlisted string) (workflow.Taken, error) {
	ctx, tx := t.ctx, t.tx
	rows, err := tx.Query(ctx, `SELECT id, places, valid_from, weekly_price FROM vacancies
		WHERE provision_id = $1 ORDER BY id FOR UPDATE`, provision)
	if err != nil {
		return workflow.Taken{}, err
	}
	vacs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (vacancyRow, error) {
		var v vacancyRow
		err := r.Scan(&v.id, &v.places, &v.validFrom, &v.price)
		return v, err
	})
	if err != nil {
		return workflow.Taken{}, err
	}
	var cands []vacancyRow
	for _, v := range vacs {
		if v.places < group {
			continue
		}
		if start != "" && v.validFrom != nil && store.DateString(*v.validFrom) > start {
			continue
		}
		cands = append(cands, v)
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if (a.id == shortlisted) != (b.id == shortlisted) {
			return a.id == shortlisted
		}
		af, bf := "", ""
		if a.validFrom != nil {
			af = store.DateString(*a.validFrom)
		}
		if b.validFrom != nil {
			bf = store.DateString(*b.validFrom)
		}
		if af != bf {
			return af < bf
		}
		return a.id < b.id
	})
	var left int
	if len(cands) > 0 {
		// The WHERE on places is the guard; with the row locked it holds.
		err = tx.QueryRow(ctx, `UPDATE vacancies SET places = places - $1 WHERE id = $2 AND places >= $1 RETURNING places`,
			group, cands[0].id).Scan(&left)
		if errors.Is(err, pgx.ErrNoRows) {
			cands = nil
		} else if err != nil {
			return workflow.Taken{}, err
		}
	}
	if len(cands) == 0 {
		return workflow.Taken{}, workflow.ErrNoVacancy(provision, group, start)
	}
	vac := cands[0]
	if left == 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM vacancies WHERE id = $1 AND places = 0`, vac.id); err != nil {
			return workflow.Taken{}, err
		}
	}
	taken := workflow.Taken{VacancyID: vac.id, Left: left, Price: vac.price}
	if vac.validFrom != nil {
		taken.ValidFrom = *vac.validFrom
	}
	return taken, nil
}

// PlaceReferral moves the referral from one status to another.
func (t *offerTx) PlaceReferral(ref string, from, to workflow.ReferralStatus) error {
	_, err := t.tx.Exec(t.ctx, `UPDATE referrals SET status = $1, updated_at = $2, updated_by = $3 WHERE reference = $4 AND status = $5`,
		string(to), t.now, t.actor, ref, string(from))
	return err
}

// Reserve records the reservation of the places taken.
func (t *offerTx) Reserve(ref, provision string, group int, taken workflow.Taken) error {
	if _, err := t.tx.Exec(t.ctx, `INSERT INTO reservations (referral, provision_id, vacancy_id, places, places_left, valid_from, weekly_price, reserved_at, reserved_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ref, provision, taken.VacancyID, group, taken.Left, taken.ValidFrom, taken.Price, t.now, t.actor); err != nil {
		if violates(err, "reservations_pkey") {
			return workflow.ErrHasReservation(ref)
		}
		return err
	}
	return nil
}

// Respond records a provider's offer or decline; see workflow.Store.
func (db *DB) Respond(ctx context.Context, c workflow.Change) (workflow.Offer, error) {
	if err := c.Check(); err != nil {
		return workflow.Offer{}, err
	}
	actor := sqlshared.OfferActor(ctx, c.Actor)
	now := db.stamp()
	var out workflow.Offer
	err := db.offerWrite(ctx, string(c.Action)+" referral "+c.Referral, func(tx pgx.Tx) error {
		if err := workflow.Respond(&offerTx{ctx, tx, now, actor}, c); err != nil {
			return err
		}
		var err error
		out, err = loadOffer(ctx, tx, c.Referral, c.ProvisionID)
		return err
	})
	return out, err
}

// Accept accepts an offer and reserves its place atomically; see workflow.Store.
//
// With the referral's row locked, it locks every vacancy row of the
// provision (FOR UPDATE, in id order, so two acceptances lock in the same
// order), picks the shortlisted vacancy if it still has the places by the
// start date, else another of the provision's (earliest valid-from first),
// and takes the places with an UPDATE guarded by places >= needed. Of two
// councils accepting the last place at once, from any number of connections,
// the second waits for the first's row lock, then reads the vacancy as the
// first left it (gone, when its last place was taken) and gets ECONFLICT. A
// vacancy left with no place is deleted, its details kept on the
// reservation.
func (db *DB) Accept(ctx context.Context, ref, provision, actor string) (workflow.Reservation, error) {
	if err := workflow.CheckAccept(ref, provision); err != nil {
		return workflow.Reservation{}, err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	now := db.stamp()
	var out workflow.Reservation
	err := db.offerWrite(ctx, "accept offer for referral "+ref, func(tx pgx.Tx) error {
		var err error
		if out, err = workflow.Accept(&offerTx{ctx, tx, now, actor}, ref, provision); err != nil {
			return err
		}
		out.At, out.By = now, actor
		return nil
	})
	return out, err
}

// Cancel cancels a referral and releases its place; see workflow.Store.
func (db *DB) Cancel(ctx context.Context, ref, note, actor string) error {
	if err := workflow.CheckCancel(ref); err != nil {
		return err
	}
	actor = sqlshared.OfferActor(ctx, actor)
	now := db.stamp()
	return db.offerWrite(ctx, "cancel referral "+ref, func(tx pgx.Tx) error {
		return workflow.Cancel(&offerTx{ctx, tx, now, actor}, ref, note)
	})
}

// Release gives a held reservation's places back to its vacancy,
// re-creating the vacancy if it was used up and its provision is still in
// the supply (the provision row is locked against a concurrent supply
// refresh meanwhile).
func (t *offerTx) Release(ref, council string) error {
	ctx, tx, now, actor := t.ctx, t.tx, t.now, t.actor
	var prov, vac string
	var places int
	var validFrom *time.Time
	var price int64
	err := tx.QueryRow(ctx, `SELECT provision_id, vacancy_id, places, valid_from, weekly_price FROM reservations
		WHERE referral = $1 AND released_at IS NULL`, ref).Scan(&prov, &vac, &places, &validFrom, &price)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var vf any
	if validFrom != nil {
		vf = *validFrom
	}
	var detail string
	var exists int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM provisions WHERE id = $1 FOR KEY SHARE) p`, prov).Scan(&exists); err != nil {
		return err
	}
	if exists == 0 {
		detail = workflow.ReleasedGone(ref, prov)
	} else {
		// Give the places back to the vacancy, or restore it when it was
		// used up (deleted); the upsert makes two releases at once safe.
		var inserted bool
		err := tx.QueryRow(ctx, `INSERT INTO vacancies AS v (id, provision_id, places, valid_from, updated_at, weekly_price)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET places = v.places + EXCLUDED.places, updated_at = EXCLUDED.updated_at
				WHERE v.provision_id = EXCLUDED.provision_id
			RETURNING (xmax = 0)`, vac, prov, places, vf, now, price).Scan(&inserted)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			// The id now names another provision's vacancy (supply replaced): add a fresh one.
			vac = workflow.ReleasedVacancyID(vac, ref)
			if _, err := tx.Exec(ctx, `INSERT INTO vacancies (id, provision_id, places, valid_from, updated_at, weekly_price) VALUES ($1, $2, $3, $4, $5, $6)`,
				vac, prov, places, vf, now, price); err != nil {
				return err
			}
			inserted = true
		case err != nil:
			return err
		}
		if inserted {
			detail = workflow.ReleasedRestored(ref, vac, prov, places)
		} else {
			detail = workflow.ReleasedBack(ref, vac, prov, places)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE reservations SET released_at = $1, released_by = $2 WHERE referral = $3`, now, actor, ref); err != nil {
		return err
	}
	if err := t.Event(ref, prov, "release", "reserved", "released", "", ""); err != nil {
		return err
	}
	return t.Audit(actionOfferPrefix+"release", council, detail)
}

// Referrals returns sent referrals with their offers; see workflow.Store.
func (db *DB) Referrals(ctx context.Context, f workflow.Filter) ([]workflow.Sent, error) {
	var out []workflow.Sent
	err := db.read(ctx, "read referrals", func(tx pgx.Tx) error {
		var err error
		out, err = loadSent(ctx, tx, f)
		return err
	})
	return out, err
}

// loadSent reads the referrals matching f with their offers, reservation and events.
func loadSent(ctx context.Context, tx pgx.Tx, f workflow.Filter) ([]workflow.Sent, error) {
	where := sqlshared.ReferralWhere(f, "WHERE true", sqlshared.Dollar)
	args := where.Args
	rows, err := tx.Query(ctx, `SELECT r.reference, r.status, r.group_size, r.sent::text, r.sent_at, r.sent_by, r.updated_at, r.updated_by, r.note
		FROM referrals r `+where.String()+` ORDER BY r.sent_at, r.reference`, args...)
	if err != nil {
		return nil, err
	}
	var sent sqlshared.Referrals
	for rows.Next() {
		var s workflow.Sent
		var ref, st, data string
		if err := rows.Scan(&ref, &st, &s.GroupSize, &data, &s.SentAt, &s.SentBy, &s.UpdatedAt, &s.UpdatedBy, &s.Note); err != nil {
			rows.Close()
			return nil, err
		}
		if err := sqlshared.Sent(ref, st, data, &s); err != nil {
			rows.Close()
			return nil, err
		}
		s.SentAt, s.UpdatedAt = s.SentAt.UTC(), s.UpdatedAt.UTC()
		sent.AddSent(ref, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := sent.Found(f); err != nil {
		return nil, err
	}
	if len(sent.Out) == 0 {
		return sent.Out, nil
	}
	list, err := queryOffers(ctx, tx, `JOIN referrals r ON r.reference = o.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	sent.AddOffers(list)
	rs, err := tx.Query(ctx, `SELECT v.referral, v.provision_id, v.vacancy_id, v.places, v.places_left, v.reserved_at, v.reserved_by,
			v.released_at, COALESCE(v.released_by, '')
		FROM reservations v JOIN referrals r ON r.reference = v.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	for rs.Next() {
		var v workflow.Reservation
		var rel *time.Time
		if err := rs.Scan(&v.Referral, &v.ProvisionID, &v.VacancyID, &v.Places, &v.PlacesLeft, &v.At, &v.By, &rel, &v.ReleasedBy); err != nil {
			rs.Close()
			return nil, err
		}
		v.At, v.Released = v.At.UTC(), sqlshared.UTC(rel)
		sent.AddReservation(v)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, err
	}
	es, err := tx.Query(ctx, `SELECT e.referral, e.at, e.actor, e.provision_id, e.action, e.from_status, e.to_status, e.reason, e.note
		FROM offer_events e JOIN referrals r ON r.reference = e.referral `+where.String()+` ORDER BY e.id`, args...)
	if err != nil {
		return nil, err
	}
	defer es.Close()
	for es.Next() {
		var ref, reason string
		var e workflow.Event
		if err := es.Scan(&ref, &e.At, &e.Actor, &e.ProvisionID, &e.Action, &e.From, &e.To, &reason, &e.Note); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		sent.AddEvent(ref, e, reason)
	}
	return sent.Out, es.Err()
}

// queryOffers reads offers joined as tail says, by referral then rank.
func queryOffers(ctx context.Context, tx pgx.Tx, tail string, args ...any) ([]workflow.Offer, error) {
	rows, err := tx.Query(ctx, `SELECT o.referral, o.provision_id, o.vacancy_id, o.rank, o.name, o.provider, o.kind, o.provision_council,
			o.miles, o.score, o.weekly_price, o.status, o.reason, o.note, o.offered_price, o.responded_at, o.updated_at, o.updated_by, o.conditions
		FROM offers o `+tail+` ORDER BY o.referral, o.rank`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (workflow.Offer, error) {
		var o workflow.Offer
		var price, offered int64
		var st, reason string
		var resp *time.Time
		if err := r.Scan(&o.Referral, &o.ProvisionID, &o.VacancyID, &o.Rank, &o.Name, &o.Provider, &o.Kind, &o.Council,
			&o.Miles, &o.Score, &price, &st, &reason, &o.Note, &offered, &resp, &o.UpdatedAt, &o.UpdatedBy, &o.Conditions); err != nil {
			return o, err
		}
		sqlshared.Offer(&o, price, offered, st, reason)
		o.RespondedAt, o.UpdatedAt = sqlshared.UTC(resp), o.UpdatedAt.UTC()
		return o, nil
	})
}

func loadOffer(ctx context.Context, tx pgx.Tx, ref, provision string) (workflow.Offer, error) {
	list, err := queryOffers(ctx, tx, `WHERE o.referral = $1 AND o.provision_id = $2`, ref, provision)
	if err != nil {
		return workflow.Offer{}, err
	}
	if len(list) != 1 {
		return workflow.Offer{}, workflow.ErrNoOffer(ref, provision)
	}
	return list[0], nil
}

// Declines counts declined offers by council, provider and reason; see workflow.Store.
func (db *DB) Declines(ctx context.Context, f workflow.DeclineFilter) ([]workflow.DeclineCount, error) {
	if err := workflow.CheckDeclines(f); err != nil {
		return nil, err
	}
	var out []workflow.DeclineCount
	err := db.read(ctx, "count declines", func(tx pgx.Tx) error {
		where := sqlshared.DeclineWhere(f, sqlshared.Dollar, func(t time.Time) any { return t })
		rows, err := tx.Query(ctx, `SELECT r.council, o.provider, o.reason, COUNT(*) FROM offers o JOIN referrals r ON r.reference = o.referral
			`+where.String()+` GROUP BY r.council, o.provider, o.reason ORDER BY r.council, o.provider COLLATE "C", o.reason`, where.Args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (workflow.DeclineCount, error) {
			var c workflow.DeclineCount
			var reason string
			err := r.Scan(&c.Council, &c.Provider, &reason, &c.Count)
			return sqlshared.DeclineCount(c, reason), err
		})
		return err
	})
	return out, err
}
