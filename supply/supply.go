// Package supply reads and writes the supply file set: the places a council
// (or a region) can offer children, with their vacancies and weekly prices,
// in a plain CSV format a council can fill from its own records. The format
// is documented in FORMAT.md.
//
// A file set is a directory holding provisions.csv (required), and
// vacancies.csv and residents.csv (optional). Readers check every row and
// report problems with the file, row and column, as *care.Error EINVALID
// (EUNUSABLE when a file cannot be read as CSV at all). Writers write exactly
// what the readers accept.
package supply

import (
	"strings"

	"sufficiency/care"
)

// File names of a supply file set.
const (
	ProvisionsFile = "provisions.csv"
	VacanciesFile  = "vacancies.csv"
	ResidentsFile  = "residents.csv"
	// ClosedFile lists settings that have closed (the register's history:
	// their URN was valid while they were open).
	ClosedFile = "closed.csv"
)

// Columns of each file, in the order the writers use. Readers accept any
// order and any case; ID, KIND, COUNCIL and PLACES (provisions), ID,
// PROVISION_ID, PLACES and VALID_FROM (vacancies) and PROVISION_ID, AGE
// (residents) are required, the rest optional.
var (
	ProvisionColumns = []string{"ID", "KIND", "NAME", "OWNER", "SECTOR", "COUNCIL", "POSTCODE", "PLACES", "RATING",
		"MIN_AGE", "MAX_AGE", "SEXES", "NEEDS", "PROVIDER", "IN_HOUSE", "SIBLING_CAPACITY", "SPECIALISMS",
		"WEEKLY_PRICE", "REGISTERED"}
	VacancyColumns  = []string{"ID", "PROVISION_ID", "PLACES", "VALID_FROM", "UPDATED_AT", "WEEKLY_PRICE"}
	ResidentColumns = []string{"PROVISION_ID", "AGE", "SEX", "RISKS"}
	ClosedColumns   = []string{"ID", "KIND", "SECTOR", "COUNCIL", "POSTCODE", "PLACES", "REGISTERED", "CLOSED"}

	provisionRequired = []string{"ID", "KIND", "COUNCIL", "PLACES"}
	vacancyRequired   = []string{"ID", "PROVISION_ID", "PLACES", "VALID_FROM"}
	residentRequired  = []string{"PROVISION_ID", "AGE"}
	closedRequired    = []string{"ID", "KIND", "COUNCIL", "CLOSED"}
)

// Set is a whole supply file set.
type Set struct {
	Provisions []care.Provision // residents are attached to their provision
	Vacancies  []care.Vacancy
	// Closed are settings that have closed (ClosedFile, optional): not
	// places to offer, but URNs that were valid while they were open.
	Closed []care.Provision
}

// Kinds lists the provision kinds the format accepts in KIND.
var Kinds = []care.ProvisionKind{care.KindChildrensHome, care.KindSecureHome, care.KindResidentialSchool, care.KindSupported, care.KindFostering}

// Sectors lists the sectors accepted in SECTOR.
var Sectors = []care.Sector{care.SectorLA, care.SectorPrivate, care.SectorVoluntary, care.SectorHealth, care.SectorAcademy}

// Ratings lists the ratings accepted in RATING (blank: not yet inspected).
var Ratings = []care.Rating{care.RatingOutstanding, care.RatingGood, care.RatingRI, care.RatingInadequate}

func listOf[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
