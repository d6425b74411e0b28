package workflow

import (
	"context"
	"strings"

	"sufficiency/care"
)

// The referrals list a council sees is read a page at a time, newest
// first, so that it costs the same however many referrals a council has
// made: its drafts (each with the referral it was sent as, once sent) and
// the referrals sent without a draft (from the command line).

// MaxCasePage is the most referrals one read of the list returns: a bound
// on the work of one read, above any page a person or client asks for.
const MaxCasePage = 1000

// CaseQuery asks for one page of the referrals list of some placing
// councils.
type CaseQuery struct {
	// Councils are the placing councils (ONS codes) whose referrals are
	// listed; at least one.
	Councils []string
	// After is the reference of the last referral of the previous page:
	// the page starts with the next older one. Blank for the first page.
	After string
	// Limit is the most referrals returned: 1 to MaxCasePage.
	Limit int
}

// Check validates the query. EINVALID naming the field.
func (q CaseQuery) Check() error {
	if len(q.Councils) == 0 {
		return care.Errorf(care.EINVALID, "councils: give at least one placing council")
	}
	for _, c := range q.Councils {
		if strings.TrimSpace(c) == "" {
			return care.Errorf(care.EINVALID, "councils: a council's ONS code is blank")
		}
	}
	if q.Limit < 1 || q.Limit > MaxCasePage {
		return care.Errorf(care.EINVALID, "limit: %d is out of range; give 1 to %d referrals a page", q.Limit, MaxCasePage)
	}
	return nil
}

// Case is one line of the referrals list: a draft, with the referral it was
// sent as once sent, or a referral sent without a draft (Draft nil).
type Case struct {
	Draft *Draft
	// Sent is the referral as sent with its status and offers (its
	// reservation and events are not read for the list); nil while a
	// draft is not sent.
	Sent *Sent
}

// Reference is the case's referral reference.
func (c Case) Reference() string {
	if c.Draft != nil {
		return c.Draft.Reference
	}
	if c.Sent != nil {
		return c.Sent.Referral.Reference
	}
	return ""
}

// Council is the case's placing council.
func (c Case) Council() string {
	if c.Draft != nil {
		return c.Draft.Council
	}
	if c.Sent != nil {
		return c.Sent.Referral.Council
	}
	return ""
}

// CaseLister reads the referrals list a page at a time. Implemented by
// store/sqlite and store/postgres (contract: storetest.RunDrafts).
type CaseLister interface {
	// Cases returns up to q.Limit referrals of q.Councils, newest first (a
	// draft by when it was made, a referral sent without a draft by when it
	// was sent; the same instant by reference), starting after q.After.
	// Reading the drafts is child-level and recorded in the audit log, one
	// read of each council asked for. EINVALID for a bad query or an After
	// that is not a referral of those councils.
	Cases(ctx context.Context, q CaseQuery) ([]Case, error)
}
