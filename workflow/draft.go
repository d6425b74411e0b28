package workflow

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"sufficiency/care"
)

// Draft is a referral as the council drafts it, before sending: the child's
// details in the referral JSON form (care.ParseReferral), with the council's
// CHILD id. It is the council's own record and is never sent: providers only
// ever see Pseudonymise's SentReferral. Its Reference is the opaque reference
// the referral will be sent under, so one draft is sent at most once.
type Draft struct {
	Reference string `json:"reference"`
	Council   string `json:"council"`
	ChildID   string `json:"child_id"`
	// Emergency drafts hold only the core fields and are searched at once.
	Emergency bool            `json:"emergency"`
	Referral  json.RawMessage `json:"referral"`
	CreatedAt time.Time       `json:"created_at"`
	CreatedBy string          `json:"created_by"`
	UpdatedAt time.Time       `json:"updated_at"`
	UpdatedBy string          `json:"updated_by"`
}

// Parse reads the draft's referral. EINVALID naming the field when it is not
// a valid referral.
func (d Draft) Parse() (care.Referral, error) {
	return care.ParseReferral(d.Referral, "referral")
}

// NewDraft checks a referral in its JSON form and returns it as a draft
// under reference (NewReference when empty) for the referral's council.
// EINVALID naming the field when the referral is not valid.
func NewDraft(data []byte, reference string, emergency bool) (Draft, care.Referral, error) {
	ref, err := care.ParseReferral(data, "referral")
	if err != nil {
		return Draft{}, ref, err
	}
	if strings.TrimSpace(ref.Council) == "" {
		return Draft{}, ref, care.Errorf(care.EINVALID, "referral.council: missing; give the placing council's ONS code")
	}
	if reference == "" {
		reference = NewReference()
	}
	var buf json.RawMessage
	if buf, err = compact(data); err != nil {
		return Draft{}, ref, care.WrapError(care.EINVALID, err, "referral: cannot read JSON")
	}
	return Draft{Reference: reference, Council: ref.Council, ChildID: ref.ChildID, Emergency: emergency, Referral: buf}, ref, nil
}

func compact(data []byte) (json.RawMessage, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// DraftStore keeps referral drafts. Each method is one transaction; reading a
// draft is child-level and recorded in the audit log. Implemented by
// store/sqlite and store/postgres (contract: storetest.RunDrafts).
type DraftStore interface {
	// SaveDraft stores a new draft or replaces the referral of an existing
	// one, stamped with actor. ECONFLICT when the draft has already been sent
	// (sent referrals cannot change) or belongs to another council.
	SaveDraft(ctx context.Context, d Draft, actor string) (Draft, error)
	// Draft returns one draft. ENOTFOUND when there is none.
	Draft(ctx context.Context, reference string) (Draft, error)
	// Drafts returns the drafts of a council, newest first.
	Drafts(ctx context.Context, council string) ([]Draft, error)
}

// VacancyUpdate is a provider's statement of a provision's free places,
// confirmed now: Places 0 means none free.
type VacancyUpdate struct {
	ProvisionID string
	Places      int
	ValidFrom   time.Time  // free from; zero: now
	WeeklyPrice care.Pence // 0: the provision's usual price
}

// MaxVacancyPlaces bounds a vacancy's free places (the largest homes and
// households on the register have fewer).
const MaxVacancyPlaces = 50

// Check validates the update. EINVALID naming the field.
func (v VacancyUpdate) Check() error {
	if strings.TrimSpace(v.ProvisionID) == "" {
		return care.Errorf(care.EINVALID, "provision: missing; give the id of your home or household")
	}
	if v.Places < 0 || v.Places > MaxVacancyPlaces {
		return care.Errorf(care.EINVALID, "places: %d is out of range; give the number of free places (0–%d)", v.Places, MaxVacancyPlaces)
	}
	if v.WeeklyPrice < 0 {
		return care.Errorf(care.EINVALID, "weekly_price: cannot be negative")
	}
	return nil
}

// VacancyStore records providers' vacancy updates. Implemented by
// store/sqlite and store/postgres.
type VacancyStore interface {
	// SetVacancy replaces the provision's vacancies with one of v.Places
	// places (none when 0), confirmed now by actor, and returns the
	// provision's vacancies afterwards. ENOTFOUND for an unknown provision.
	SetVacancy(ctx context.Context, v VacancyUpdate, actor string) ([]care.Vacancy, error)
}
