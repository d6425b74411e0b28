package sqlshared

import (
	"fmt"
	"strings"

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
