package sqlshared

import (
	"context"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/workflow"
)

// CasesDetail is the audit detail of a read of the referrals list.
const CasesDetail = "referrals list"

// caseKey is one line of the referrals list before its details are read.
type caseKey struct {
	ref string
	at  time.Time
}

// newer reports whether a comes before b in the list: newest first, the
// same instant by reference.
func (a caseKey) newer(b caseKey) bool {
	if !a.at.Equal(b.at) {
		return a.at.After(b.at)
	}
	return a.ref < b.ref
}

// The two halves of the referrals list, each read newest first by its
// (council, time) index: drafts by when they were made, and referrals sent
// without a draft (from the command line) by when they were sent.
const (
	draftKeys = `SELECT d.reference, d.created_at FROM referral_drafts d WHERE d.council IN (%councils%)%after%
		ORDER BY d.created_at DESC, d.reference LIMIT %limit%`
	sentKeys = `SELECT r.reference, r.sent_at FROM referrals r WHERE r.council IN (%councils%)%after%%since%
		AND NOT EXISTS (SELECT 1 FROM referral_drafts x WHERE x.reference = r.reference)
		ORDER BY r.sent_at DESC, r.reference LIMIT %limit%`
)

// Cases reads one page of the referrals list (see workflow.CaseLister):
// the page's drafts by an indexed top-N query, the referrals sent without a
// draft no older than the oldest of those (so that a council's many sent
// drafts are not all looked at), the two merged; then the page's drafts and
// sent referrals with their offers. The caller checks q and records the
// read.
func Cases(ctx context.Context, tx Tx, q workflow.CaseQuery) ([]workflow.Case, error) {
	c := tx.Dialect().Codec()
	var councilArgs []any
	marks := make([]string, len(q.Councils))
	for i, code := range q.Councils {
		councilArgs = append(councilArgs, code)
		marks[i] = Dollar(len(councilArgs))
	}
	councils := strings.Join(marks, ", ")

	var cursor *caseKey
	if q.After != "" {
		k, err := caseAt(ctx, tx, councils, councilArgs, q.After)
		if err != nil {
			return nil, err
		}
		cursor = &k
	}
	// keys reads one half: query with its councils, cursor, lower bound
	// (since, when not zero) and limit.
	keys := func(query, timeCol, refCol string, since time.Time) ([]caseKey, error) {
		args := append([]any(nil), councilArgs...)
		after, from := "", ""
		if cursor != nil {
			args = append(args, c.EncodeInstant(cursor.at), cursor.ref)
			at, ref := Dollar(len(args)-1), Dollar(len(args))
			after = ` AND ` + timeCol + ` <= ` + at + ` AND (` + timeCol + ` < ` + at + ` OR ` + refCol + ` > ` + ref + `)`
		}
		if !since.IsZero() {
			args = append(args, c.EncodeInstant(since))
			from = ` AND ` + timeCol + ` >= ` + Dollar(len(args))
		}
		args = append(args, q.Limit)
		sql := strings.NewReplacer("%councils%", councils, "%after%", after, "%since%", from, "%limit%", Dollar(len(args))).Replace(query)
		var out []caseKey
		err := tx.Each(ctx, sql, args, func(r Row) error {
			var k caseKey
			at := c.Instant()
			if err := r.Scan(&k.ref, at.Dest()); err != nil {
				return err
			}
			var err error
			k.at, err = at.Value()
			out = append(out, k)
			return err
		})
		return out, err
	}
	drafts, err := keys(draftKeys, "d.created_at", "d.reference", time.Time{})
	if err != nil {
		return nil, err
	}
	var since time.Time
	if len(drafts) == q.Limit {
		since = drafts[len(drafts)-1].at // older ones would not make the page
	}
	sent, err := keys(sentKeys, "r.sent_at", "r.reference", since)
	if err != nil {
		return nil, err
	}
	page := mergeKeys(drafts, sent, q.Limit)
	if len(page) == 0 {
		return nil, nil
	}
	return caseDetails(ctx, tx, page)
}

// caseAt finds the list's line of reference, the cursor of a page.
// EINVALID when it is not a referral of the councils' list.
func caseAt(ctx context.Context, tx Tx, councils string, councilArgs []any, reference string) (caseKey, error) {
	c := tx.Dialect().Codec()
	args := append(append([]any(nil), councilArgs...), reference)
	ref := Dollar(len(args))
	for _, query := range []string{
		`SELECT d.created_at FROM referral_drafts d WHERE d.reference = ` + ref + ` AND d.council IN (` + councils + `)`,
		`SELECT r.sent_at FROM referrals r WHERE r.reference = ` + ref + ` AND r.council IN (` + councils + `)`,
	} {
		at := c.Instant()
		err := tx.QueryRow(ctx, query, args...).Scan(at.Dest())
		if tx.NoRows(err) {
			continue
		}
		if err != nil {
			return caseKey{}, err
		}
		t, err := at.Value()
		return caseKey{ref: reference, at: t}, err
	}
	return caseKey{}, care.Errorf(care.EINVALID, "after: %s is not a referral of this list; give the reference of the last referral of the page before", reference)
}

// mergeKeys merges two lists each newest first into the first limit lines.
func mergeKeys(a, b []caseKey, limit int) []caseKey {
	out := make([]caseKey, 0, min(limit, len(a)+len(b)))
	for len(out) < limit && (len(a) > 0 || len(b) > 0) {
		if len(b) == 0 || (len(a) > 0 && a[0].newer(b[0])) {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return out
}

// caseDetails reads the drafts and sent referrals (with their offers) of
// the page's lines, in its order.
func caseDetails(ctx context.Context, tx Tx, page []caseKey) ([]workflow.Case, error) {
	c := tx.Dialect().Codec()
	refArgs := make([]any, len(page))
	marks := make([]string, len(page))
	for i, k := range page {
		refArgs[i], marks[i] = k.ref, Dollar(i+1)
	}
	in := strings.Join(marks, ", ")
	drafts := map[string]*workflow.Draft{}
	err := tx.Each(ctx, `SELECT `+draftColumns(tx.Dialect())+` FROM referral_drafts WHERE reference IN (`+in+`)`, refArgs, func(r Row) error {
		d, err := ScanDraft(r, c)
		drafts[d.Reference] = &d
		return err
	})
	if err != nil {
		return nil, err
	}
	where := &Where{Placeholder: Dollar, Args: refArgs}
	where.b.WriteString(`WHERE r.reference IN (` + in + `)`)
	list, err := loadReferrals(ctx, tx, where, workflow.Filter{}, false)
	if err != nil {
		return nil, err
	}
	sent := map[string]*workflow.Sent{}
	for i := range list {
		sent[list[i].Referral.Reference] = &list[i]
	}
	out := make([]workflow.Case, 0, len(page))
	for _, k := range page {
		if cs := (workflow.Case{Draft: drafts[k.ref], Sent: sent[k.ref]}); cs.Draft != nil || cs.Sent != nil {
			out = append(out, cs)
		}
	}
	return out, nil
}
