package offers

import "sufficiency/workflow"

// The workflow's domain types, states and rules moved to package workflow;
// these aliases keep callers of package offers compiling while they move.
// Deprecated: use package workflow.

type (
	Status         = workflow.Status
	Action         = workflow.Action
	ReferralStatus = workflow.ReferralStatus
	ReferralAction = workflow.ReferralAction
	Entry          = workflow.Entry
	Offer          = workflow.Offer
	Reservation    = workflow.Reservation
	Sent           = workflow.Sent
	Event          = workflow.Event
	Change         = workflow.Change
	Filter         = workflow.Filter
	DeclineFilter  = workflow.DeclineFilter
	DeclineCount   = workflow.DeclineCount
	Store          = workflow.Store
	Reason         = workflow.Reason
	SentReferral   = workflow.SentReferral
	AvoidDistrict  = workflow.AvoidDistrict
	Draft          = workflow.Draft
	DraftStore     = workflow.DraftStore
	VacancyUpdate  = workflow.VacancyUpdate
	VacancyStore   = workflow.VacancyStore
)

const (
	StatusPending            = workflow.StatusPending
	StatusOffered            = workflow.StatusOffered
	StatusDeclined           = workflow.StatusDeclined
	StatusAccepted           = workflow.StatusAccepted
	StatusWithdrawn          = workflow.StatusWithdrawn
	ActionOffer              = workflow.ActionOffer
	ActionDecline            = workflow.ActionDecline
	ActionAccept             = workflow.ActionAccept
	ActionWithdraw           = workflow.ActionWithdraw
	ReferralOpen             = workflow.ReferralOpen
	ReferralPlaced           = workflow.ReferralPlaced
	ReferralCancelled        = workflow.ReferralCancelled
	ReferralAccept           = workflow.ReferralAccept
	ReferralCancel           = workflow.ReferralCancel
	ReasonNoVacancy          = workflow.ReasonNoVacancy
	ReasonStatementOfPurpose = workflow.ReasonStatementOfPurpose
	ReasonImpact             = workflow.ReasonImpact
	ReasonStaffing           = workflow.ReasonStaffing
	ReasonLocation           = workflow.ReasonLocation
	ReasonPrice              = workflow.ReasonPrice
	ReasonRisk               = workflow.ReasonRisk
	ReasonOther              = workflow.ReasonOther
	MaxConditions            = workflow.MaxConditions
	MaxNote                  = workflow.MaxNote
	MaxVacancyPlaces         = workflow.MaxVacancyPlaces
)

var (
	Statuses     = workflow.Statuses
	Reasons      = workflow.Reasons
	Next         = workflow.Next
	NextReferral = workflow.NextReferral
	ParseReason  = workflow.ParseReason
	CheckDecline = workflow.CheckDecline
	NewReference = workflow.NewReference
	NewDraft     = workflow.NewDraft
)
