package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"sufficiency/care"
	"sufficiency/offers"
	"sufficiency/store"
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

var _ offers.Store = (*DB)(nil)

// actionOfferPrefix starts the audit actions of the offers workflow
// (council: the placing council): + send, offer, decline, accept, withdraw,
// release, cancel.
const actionOfferPrefix = "offer "

// offerRetries is how many times a transaction aborted by PostgreSQL
// (deadlock, serialisation failure) is run again before giving up.
const offerRetries = 5

// stamp is the clock's time as PostgreSQL stores it (microseconds), so what
// a change returns equals what is read back later.
func (db *DB) stamp() time.Time { return db.now().Truncate(time.Microsecond) }

// offerActor is the given actor, else the context's.
func offerActor(ctx context.Context, actor string) string {
	if a := strings.TrimSpace(actor); a != "" {
		return a
	}
	return store.ActorFrom(ctx)
}

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

// SendReferral records a pseudonymised referral and its shortlist; see offers.Store.
func (db *DB) SendReferral(ctx context.Context, r offers.SentReferral, groupSize int, list []offers.Entry, actor string) (offers.Sent, error) {
	if strings.TrimSpace(r.Reference) == "" {
		return offers.Sent{}, care.Errorf(care.EINVALID, "the referral has no reference: use offers.NewReference")
	}
	if len(list) == 0 {
		return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: the shortlist is empty; send it to at least one eligible provision", r.Reference)
	}
	if groupSize < 1 || groupSize > 13 {
		return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: %d places needed; give 1 (the child) to 13 (with 12 siblings)", r.Reference, groupSize)
	}
	seen := map[string]bool{}
	for _, e := range list {
		if e.ProvisionID == "" || e.VacancyID == "" {
			return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: a shortlist entry has no provision or vacancy id", r.Reference)
		}
		if seen[e.ProvisionID] {
			return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: provision %s is on the shortlist twice; list each once", r.Reference, e.ProvisionID)
		}
		seen[e.ProvisionID] = true
	}
	var start any
	if r.StartDate != "" {
		d, err := time.Parse("2006-01-02", r.StartDate)
		if err != nil {
			return offers.Sent{}, care.Errorf(care.EINVALID, "referral %s: start date %q is not YYYY-MM-DD", r.Reference, r.StartDate)
		}
		start = d
	}
	data, err := json.Marshal(r)
	if err != nil {
		return offers.Sent{}, care.WrapError(care.EINTERNAL, err, "encode referral %s", r.Reference)
	}
	actor = offerActor(ctx, actor)
	now := db.stamp()
	var out offers.Sent
	err = db.offerWrite(ctx, "send referral "+r.Reference, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO referrals (reference, council, status, group_size, start_date, sent, sent_at, sent_by, updated_at, updated_by)
			VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $6, $7)`, r.Reference, r.Council, groupSize, start, string(data), now, actor); err != nil {
			if violates(err, "referrals_pkey") {
				return care.Errorf(care.ECONFLICT, "referral reference %s is already used; send again to get a fresh reference", r.Reference)
			}
			return err
		}
		names := make([]string, len(list))
		for k, e := range list {
			rank := e.Rank
			if rank < 1 {
				rank = k + 1
			}
			if _, err := tx.Exec(ctx, `INSERT INTO offers (referral, provision_id, vacancy_id, rank, name, provider, kind, provision_council,
					miles, score, weekly_price, status, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending', $12, $13)`, r.Reference, e.ProvisionID, e.VacancyID, rank, e.Name, e.Provider,
				e.Kind, e.Council, e.Miles, e.Score, int64(e.WeeklyPrice), now, actor); err != nil {
				if violates(err, "offers_rank_key") {
					return care.Errorf(care.EINVALID, "referral %s: rank %d is given twice on the shortlist; number the entries 1, 2, 3, ...", r.Reference, rank)
				}
				return err
			}
			names[k] = e.ProvisionID
		}
		if err := offerEvent(ctx, tx, now, actor, r.Reference, "", "send", "", string(offers.ReferralOpen), "", ""); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, actionOfferPrefix+"send", r.Council,
			fmt.Sprintf("referral %s sent to %d providers: %s", r.Reference, len(list), strings.Join(names, ", "))); err != nil {
			return err
		}
		sent, err := loadSent(ctx, tx, offers.Filter{Reference: r.Reference})
		if err != nil {
			return err
		}
		out = sent[0]
		return nil
	})
	return out, err
}

func offerEvent(ctx context.Context, tx pgx.Tx, at time.Time, actor, ref, provision, action, from, to string, reason offers.Reason, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO offer_events (referral, provision_id, at, actor, action, from_status, to_status, reason, note)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ref, provision, at, actor, action, from, to, string(reason), note)
	return err
}

// lockReferral locks the referral's row for the rest of the transaction and
// reads its status, council, places needed and start date (YYYY-MM-DD or
// ""). Every change to a referral or its offers takes this lock first.
// ENOTFOUND when there is no such referral.
func lockReferral(ctx context.Context, tx pgx.Tx, ref string) (status offers.ReferralStatus, council string, group int, start string, err error) {
	var st string
	err = tx.QueryRow(ctx, `SELECT status, council, group_size, COALESCE(to_char(start_date, 'YYYY-MM-DD'), '')
		FROM referrals WHERE reference = $1 FOR UPDATE`, ref).Scan(&st, &council, &group, &start)
	if errors.Is(err, pgx.ErrNoRows) {
		err = care.Errorf(care.ENOTFOUND, "no referral %q: check the reference printed by \"referral send\" (\"offer list\" shows them all)", ref)
	}
	return offers.ReferralStatus(st), council, group, start, err
}

// offerState reads one offer's status and shortlisted vacancy. ENOTFOUND,
// listing the shortlist, when the provision was not sent the referral.
func offerState(ctx context.Context, tx pgx.Tx, ref, provision string) (offers.Status, string, error) {
	var st, vac string
	err := tx.QueryRow(ctx, `SELECT status, vacancy_id FROM offers WHERE referral = $1 AND provision_id = $2`, ref, provision).Scan(&st, &vac)
	if errors.Is(err, pgx.ErrNoRows) {
		rows, qerr := tx.Query(ctx, `SELECT provision_id FROM offers WHERE referral = $1 ORDER BY rank`, ref)
		if qerr != nil {
			return "", "", qerr
		}
		ids, qerr := pgx.CollectRows(rows, pgx.RowTo[string])
		if qerr != nil {
			return "", "", qerr
		}
		return "", "", care.Errorf(care.ENOTFOUND, "provision %q was not sent referral %s; only its shortlist can answer: %s", provision, ref, strings.Join(ids, ", "))
	}
	return offers.Status(st), vac, err
}

// setOffer moves one offer from one status to another with a conditional
// update, so a change made meanwhile is never overwritten. extra is more
// "col = $n" assignments numbered from $4, with args their values.
func setOffer(ctx context.Context, tx pgx.Tx, ref, provision string, from, to offers.Status, now time.Time, actor string, extra string, args ...any) error {
	n := 3 + len(args)
	q := `UPDATE offers SET status = $1, updated_at = $2, updated_by = $3` + extra +
		fmt.Sprintf(` WHERE referral = $%d AND provision_id = $%d AND status = $%d`, n+1, n+2, n+3)
	all := append([]any{string(to), now, actor}, args...)
	all = append(all, ref, provision, string(from))
	tag, err := tx.Exec(ctx, q, all...)
	if err != nil {
		if violates(err, "offers_one_accepted") {
			return care.Errorf(care.ECONFLICT, "referral %s already has an accepted offer; cancel the referral first to release that place", ref)
		}
		return err
	}
	if tag.RowsAffected() != 1 {
		return care.Errorf(care.ECONFLICT, "the offer of %s for referral %s changed meanwhile; look at it again (offer list --referral %s)", provision, ref, ref)
	}
	return nil
}

func notOpen(ref string, st offers.ReferralStatus) error {
	if st == offers.ReferralPlaced {
		return care.Errorf(care.ECONFLICT, "referral %s is already placed: an offer was accepted, so no more answers are needed", ref)
	}
	return care.Errorf(care.ECONFLICT, "referral %s was cancelled: no answer is needed", ref)
}

// Respond records a provider's offer or decline; see offers.Store.
func (db *DB) Respond(ctx context.Context, c offers.Change) (offers.Offer, error) {
	if err := c.Check(); err != nil {
		return offers.Offer{}, err
	}
	actor := offerActor(ctx, c.Actor)
	now := db.stamp()
	var out offers.Offer
	err := db.offerWrite(ctx, string(c.Action)+" referral "+c.Referral, func(tx pgx.Tx) error {
		rst, council, _, _, err := lockReferral(ctx, tx, c.Referral)
		if err != nil {
			return err
		}
		if rst != offers.ReferralOpen {
			return notOpen(c.Referral, rst)
		}
		from, _, err := offerState(ctx, tx, c.Referral, c.ProvisionID)
		if err != nil {
			return err
		}
		to, err := offers.Next(from, c.Action)
		if err != nil {
			return care.Errorf(care.ECONFLICT, "%s for referral %s: %s", c.ProvisionID, c.Referral, care.ErrorMessage(err))
		}
		note := strings.TrimSpace(c.Note)
		if err := setOffer(ctx, tx, c.Referral, c.ProvisionID, from, to, now, actor,
			`, reason = $4, note = $5, offered_price = $6, responded_at = $7`, string(c.Reason), note, int64(c.Price), now); err != nil {
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, c.Referral, c.ProvisionID, string(c.Action), string(from), string(to), c.Reason, note); err != nil {
			return err
		}
		detail := fmt.Sprintf("referral %s, provision %s: %s → %s", c.Referral, c.ProvisionID, from, to)
		if c.Reason != "" {
			detail += " (" + string(c.Reason) + ")"
		}
		if err := appendAudit(ctx, tx, now, actor, actionOfferPrefix+string(c.Action), council, detail); err != nil {
			return err
		}
		out, err = loadOffer(ctx, tx, c.Referral, c.ProvisionID)
		return err
	})
	return out, err
}

// vacancyRow is a vacancy as locked by Accept.
type vacancyRow struct {
	id        string
	places    int
	validFrom *time.Time
	price     int64
}

// Accept accepts an offer and reserves its place atomically; see offers.Store.
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
func (db *DB) Accept(ctx context.Context, ref, provision, actor string) (offers.Reservation, error) {
	if strings.TrimSpace(ref) == "" || strings.TrimSpace(provision) == "" {
		return offers.Reservation{}, care.Errorf(care.EINVALID, "give the referral reference and the provision whose offer is accepted")
	}
	actor = offerActor(ctx, actor)
	now := db.stamp()
	var out offers.Reservation
	err := db.offerWrite(ctx, "accept offer for referral "+ref, func(tx pgx.Tx) error {
		rst, council, group, start, err := lockReferral(ctx, tx, ref)
		if err != nil {
			return err
		}
		nextRef, err := offers.NextReferral(rst, offers.ReferralAccept)
		if err != nil {
			if rst == offers.ReferralPlaced {
				var with string
				if err := tx.QueryRow(ctx, `SELECT provision_id FROM offers WHERE referral = $1 AND status = 'accepted'`, ref).Scan(&with); err != nil && !errors.Is(err, pgx.ErrNoRows) {
					return err
				}
				return care.Errorf(care.ECONFLICT, "referral %s is already placed with %s; cancel the referral first to release that place", ref, with)
			}
			return care.Errorf(care.ECONFLICT, "referral %s: %s", ref, care.ErrorMessage(err))
		}
		from, offeredVac, err := offerState(ctx, tx, ref, provision)
		if err != nil {
			return err
		}
		to, err := offers.Next(from, offers.ActionAccept)
		if err != nil {
			return care.Errorf(care.ECONFLICT, "%s for referral %s: %s", provision, ref, care.ErrorMessage(err))
		}
		// Lock the provision's vacancies and choose one from their current
		// state: the shortlisted vacancy first, else another free by the
		// start date, earliest valid-from (none first), then by id.
		rows, err := tx.Query(ctx, `SELECT id, places, valid_from, weekly_price FROM vacancies
			WHERE provision_id = $1 ORDER BY id FOR UPDATE`, provision)
		if err != nil {
			return err
		}
		vacs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (vacancyRow, error) {
			var v vacancyRow
			err := r.Scan(&v.id, &v.places, &v.validFrom, &v.price)
			return v, err
		})
		if err != nil {
			return err
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
			if (a.id == offeredVac) != (b.id == offeredVac) {
				return a.id == offeredVac
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
				return err
			}
		}
		if len(cands) == 0 {
			what := "a place"
			if group > 1 {
				what = fmt.Sprintf("%d places together", group)
			}
			by := ""
			if start != "" {
				by = " by " + start
			}
			return care.Errorf(care.ECONFLICT, "provision %s has no vacancy with %s free%s any more: another referral was given it first (or the provider's vacancies changed); nothing was reserved, so accept another offer or ask the provider to update its vacancies", provision, what, by)
		}
		vac := cands[0]
		if left == 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM vacancies WHERE id = $1 AND places = 0`, vac.id); err != nil {
				return err
			}
		}
		if err := setOffer(ctx, tx, ref, provision, from, to, now, actor, ""); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE referrals SET status = $1, updated_at = $2, updated_by = $3 WHERE reference = $4 AND status = $5`,
			string(nextRef), now, actor, ref, string(rst)); err != nil {
			return err
		}
		var validFrom any
		if vac.validFrom != nil {
			validFrom = *vac.validFrom
		}
		if _, err := tx.Exec(ctx, `INSERT INTO reservations (referral, provision_id, vacancy_id, places, places_left, valid_from, weekly_price, reserved_at, reserved_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ref, provision, vac.id, group, left, validFrom, vac.price, now, actor); err != nil {
			if violates(err, "reservations_pkey") {
				return care.Errorf(care.ECONFLICT, "referral %s already has a reservation; cancel the referral first to release it", ref)
			}
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, ref, provision, string(offers.ActionAccept), string(from), string(to), "", ""); err != nil {
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, ref, "", string(offers.ReferralAccept), string(rst), string(nextRef), "", ""); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, actionOfferPrefix+"accept", council,
			fmt.Sprintf("referral %s, provision %s: accepted; %d place(s) of vacancy %s reserved, %d left", ref, provision, group, vac.id, left)); err != nil {
			return err
		}
		if err := withdrawOpen(ctx, tx, ref, council, now, actor, "another offer was accepted", false); err != nil {
			return err
		}
		out = offers.Reservation{Referral: ref, ProvisionID: provision, VacancyID: vac.id, Places: group, PlacesLeft: left, At: now, By: actor}
		return nil
	})
	return out, err
}

// withdrawOpen withdraws every pending or offered offer of the referral, and
// the accepted one too when withAccepted (the referral is being cancelled).
func withdrawOpen(ctx context.Context, tx pgx.Tx, ref, council string, now time.Time, actor, why string, withAccepted bool) error {
	type open struct {
		id string
		st offers.Status
	}
	rows, err := tx.Query(ctx, `SELECT provision_id, status FROM offers WHERE referral = $1 AND status IN ('pending', 'offered', 'accepted') ORDER BY rank`, ref)
	if err != nil {
		return err
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (open, error) {
		var o open
		var st string
		err := r.Scan(&o.id, &st)
		o.st = offers.Status(st)
		return o, err
	})
	if err != nil {
		return err
	}
	for _, o := range all {
		if o.st == offers.StatusAccepted && !withAccepted {
			continue
		}
		to, err := offers.Next(o.st, offers.ActionWithdraw)
		if err != nil {
			return err
		}
		if err := setOffer(ctx, tx, ref, o.id, o.st, to, now, actor, ""); err != nil {
			return err
		}
		if err := offerEvent(ctx, tx, now, actor, ref, o.id, string(offers.ActionWithdraw), string(o.st), string(to), "", why); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, now, actor, actionOfferPrefix+"withdraw", council,
			fmt.Sprintf("referral %s, provision %s: %s → %s (%s)", ref, o.id, o.st, to, why)); err != nil {
			return err
		}
	}
	return nil
}

// Cancel cancels a referral and releases its place; see offers.Store.
func (db *DB) Cancel(ctx context.Context, ref, note, actor string) error {
	if strings.TrimSpace(ref) == "" {
		return care.Errorf(care.EINVALID, "give the reference of the referral to cancel")
	}
	actor = offerActor(ctx, actor)
	note = strings.TrimSpace(note)
	now := db.stamp()
	return db.offerWrite(ctx, "cancel referral "+ref, func(tx pgx.Tx) error {
		rst, council, _, _, err := lockReferral(ctx, tx, ref)
		if err != nil {
			return err
		}
		next, err := offers.NextReferral(rst, offers.ReferralCancel)
		if err != nil {
			return care.Errorf(care.ECONFLICT, "referral %s: %s", ref, care.ErrorMessage(err))
		}
		if err := withdrawOpen(ctx, tx, ref, council, now, actor, "referral cancelled", true); err != nil {
			return err
		}
		if err := releasePlace(ctx, tx, ref, council, now, actor); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE referrals SET status = $1, note = $2, updated_at = $3, updated_by = $4 WHERE reference = $5 AND status = $6`,
			string(next), note, now, actor, ref, string(rst))
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return care.Errorf(care.ECONFLICT, "referral %s changed meanwhile; look at it again", ref)
		}
		if err := offerEvent(ctx, tx, now, actor, ref, "", string(offers.ReferralCancel), string(rst), string(next), "", note); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, actionOfferPrefix+"cancel", council, fmt.Sprintf("referral %s: %s → %s", ref, rst, next))
	})
}

// releasePlace gives a held reservation's places back to its vacancy,
// re-creating the vacancy if it was used up and its provision is still in
// the supply (the provision row is locked against a concurrent supply
// refresh meanwhile).
func releasePlace(ctx context.Context, tx pgx.Tx, ref, council string, now time.Time, actor string) error {
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
		detail = fmt.Sprintf("referral %s: provision %s is no longer in the supply; no place to give back", ref, prov)
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
			vac = vac + "-released-" + ref
			if _, err := tx.Exec(ctx, `INSERT INTO vacancies (id, provision_id, places, valid_from, updated_at, weekly_price) VALUES ($1, $2, $3, $4, $5, $6)`,
				vac, prov, places, vf, now, price); err != nil {
				return err
			}
			inserted = true
		case err != nil:
			return err
		}
		if inserted {
			detail = fmt.Sprintf("referral %s: vacancy %s of %s restored with %d place(s)", ref, vac, prov, places)
		} else {
			detail = fmt.Sprintf("referral %s: %d place(s) given back to vacancy %s of %s", ref, places, vac, prov)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE reservations SET released_at = $1, released_by = $2 WHERE referral = $3`, now, actor, ref); err != nil {
		return err
	}
	if err := offerEvent(ctx, tx, now, actor, ref, prov, "release", "reserved", "released", "", ""); err != nil {
		return err
	}
	return appendAudit(ctx, tx, now, actor, actionOfferPrefix+"release", council, detail)
}

// Referrals returns sent referrals with their offers; see offers.Store.
func (db *DB) Referrals(ctx context.Context, f offers.Filter) ([]offers.Sent, error) {
	var out []offers.Sent
	err := db.read(ctx, "read referrals", func(tx pgx.Tx) error {
		var err error
		out, err = loadSent(ctx, tx, f)
		return err
	})
	return out, err
}

// utc returns a scanned nullable instant in UTC (zero for NULL).
func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// loadSent reads the referrals matching f with their offers, reservation and events.
func loadSent(ctx context.Context, tx pgx.Tx, f offers.Filter) ([]offers.Sent, error) {
	var where strings.Builder
	var args []any
	where.WriteString("WHERE true")
	add := func(cond string, v any) {
		args = append(args, v)
		fmt.Fprintf(&where, " AND "+cond, len(args))
	}
	if f.Reference != "" {
		add("r.reference = $%d", f.Reference)
	}
	if f.Council != "" {
		add("r.council = $%d", f.Council)
	}
	if f.Status != "" {
		add("r.status = $%d", string(f.Status))
	}
	if f.ProvisionID != "" {
		add("EXISTS (SELECT 1 FROM offers x WHERE x.referral = r.reference AND x.provision_id = $%d)", f.ProvisionID)
	}
	rows, err := tx.Query(ctx, `SELECT r.reference, r.status, r.group_size, r.sent::text, r.sent_at, r.sent_by, r.updated_at, r.updated_by, r.note
		FROM referrals r `+where.String()+` ORDER BY r.sent_at, r.reference`, args...)
	if err != nil {
		return nil, err
	}
	var out []offers.Sent
	index := map[string]int{}
	for rows.Next() {
		var s offers.Sent
		var ref, st, data string
		if err := rows.Scan(&ref, &st, &s.GroupSize, &data, &s.SentAt, &s.SentBy, &s.UpdatedAt, &s.UpdatedBy, &s.Note); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &s.Referral); err != nil {
			rows.Close()
			return nil, fmt.Errorf("referral %s: stored JSON: %w", ref, err)
		}
		s.Status = offers.ReferralStatus(st)
		s.SentAt, s.UpdatedAt = s.SentAt.UTC(), s.UpdatedAt.UTC()
		s.Offers, s.Events = []offers.Offer{}, []offers.Event{}
		index[ref] = len(out)
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if f.Reference != "" && len(out) == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "no referral %q: check the reference printed by \"referral send\" (\"offer list\" shows them all)", f.Reference)
	}
	if len(out) == 0 {
		return out, nil
	}
	list, err := queryOffers(ctx, tx, `JOIN referrals r ON r.reference = o.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	for _, o := range list {
		if i, ok := index[o.Referral]; ok {
			out[i].Offers = append(out[i].Offers, o)
		}
	}
	rs, err := tx.Query(ctx, `SELECT v.referral, v.provision_id, v.vacancy_id, v.places, v.places_left, v.reserved_at, v.reserved_by,
			v.released_at, COALESCE(v.released_by, '')
		FROM reservations v JOIN referrals r ON r.reference = v.referral `+where.String(), args...)
	if err != nil {
		return nil, err
	}
	for rs.Next() {
		var v offers.Reservation
		var rel *time.Time
		if err := rs.Scan(&v.Referral, &v.ProvisionID, &v.VacancyID, &v.Places, &v.PlacesLeft, &v.At, &v.By, &rel, &v.ReleasedBy); err != nil {
			rs.Close()
			return nil, err
		}
		v.At, v.Released = v.At.UTC(), utc(rel)
		if i, ok := index[v.Referral]; ok {
			out[i].Reservation = &v
		}
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
		var e offers.Event
		if err := es.Scan(&ref, &e.At, &e.Actor, &e.ProvisionID, &e.Action, &e.From, &e.To, &reason, &e.Note); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		e.Reason = offers.Reason(reason)
		if i, ok := index[ref]; ok {
			out[i].Events = append(out[i].Events, e)
		}
	}
	return out, es.Err()
}

// queryOffers reads offers joined as tail says, by referral then rank.
func queryOffers(ctx context.Context, tx pgx.Tx, tail string, args ...any) ([]offers.Offer, error) {
	rows, err := tx.Query(ctx, `SELECT o.referral, o.provision_id, o.vacancy_id, o.rank, o.name, o.provider, o.kind, o.provision_council,
			o.miles, o.score, o.weekly_price, o.status, o.reason, o.note, o.offered_price, o.responded_at, o.updated_at, o.updated_by
		FROM offers o `+tail+` ORDER BY o.referral, o.rank`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (offers.Offer, error) {
		var o offers.Offer
		var price, offered int64
		var st, reason string
		var resp *time.Time
		if err := r.Scan(&o.Referral, &o.ProvisionID, &o.VacancyID, &o.Rank, &o.Name, &o.Provider, &o.Kind, &o.Council,
			&o.Miles, &o.Score, &price, &st, &reason, &o.Note, &offered, &resp, &o.UpdatedAt, &o.UpdatedBy); err != nil {
			return o, err
		}
		o.WeeklyPrice, o.OfferedPrice = care.Pence(price), care.Pence(offered)
		o.Status, o.Reason = offers.Status(st), offers.Reason(reason)
		o.RespondedAt, o.UpdatedAt = utc(resp), o.UpdatedAt.UTC()
		return o, nil
	})
}

func loadOffer(ctx context.Context, tx pgx.Tx, ref, provision string) (offers.Offer, error) {
	list, err := queryOffers(ctx, tx, `WHERE o.referral = $1 AND o.provision_id = $2`, ref, provision)
	if err != nil {
		return offers.Offer{}, err
	}
	if len(list) != 1 {
		return offers.Offer{}, care.Errorf(care.ENOTFOUND, "provision %q was not sent referral %s", provision, ref)
	}
	return list[0], nil
}

// Declines counts declined offers by council, provider and reason; see offers.Store.
func (db *DB) Declines(ctx context.Context, f offers.DeclineFilter) ([]offers.DeclineCount, error) {
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, care.Errorf(care.EINVALID, "the period is empty: --from %s is not before --to %s", store.DateString(f.From), store.DateString(f.To))
	}
	var out []offers.DeclineCount
	err := db.read(ctx, "count declines", func(tx pgx.Tx) error {
		var where strings.Builder
		var args []any
		where.WriteString("WHERE o.status = 'declined'")
		add := func(cond string, v any) {
			args = append(args, v)
			fmt.Fprintf(&where, " AND "+cond, len(args))
		}
		if !f.From.IsZero() {
			add("o.responded_at >= $%d", f.From)
		}
		if !f.To.IsZero() {
			add("o.responded_at < $%d", f.To)
		}
		if f.Council != "" {
			add("r.council = $%d", f.Council)
		}
		if f.Provider != "" {
			add("o.provider = $%d", f.Provider)
		}
		rows, err := tx.Query(ctx, `SELECT r.council, o.provider, o.reason, COUNT(*) FROM offers o JOIN referrals r ON r.reference = o.referral
			`+where.String()+` GROUP BY r.council, o.provider, o.reason ORDER BY r.council, o.provider COLLATE "C", o.reason`, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (offers.DeclineCount, error) {
			var c offers.DeclineCount
			var reason string
			err := r.Scan(&c.Council, &c.Provider, &reason, &c.Count)
			c.Reason = offers.Reason(reason)
			return c, err
		})
		return err
	})
	return out, err
}
