package care

import "time"

// ProvisionKind is the kind of a place to live that can be offered to a child.
type ProvisionKind string

// Provision kinds. The first four are Ofsted-registered settings (the Ofsted
// provider register lists them by URN); fostering households are approved by a
// fostering service (in-house council service or an agency).
const (
	KindChildrensHome     ProvisionKind = "childrens_home"
	KindSecureHome        ProvisionKind = "secure_home"
	KindResidentialSchool ProvisionKind = "residential_school"
	KindSupported         ProvisionKind = "supported_accommodation"
	KindFostering         ProvisionKind = "fostering"
)

// Sector of a provider as Ofsted records it.
type Sector string

// Sectors.
const (
	SectorLA        Sector = "Local Authority"
	SectorPrivate   Sector = "Private"
	SectorVoluntary Sector = "Voluntary"
	SectorHealth    Sector = "Health Authority"
	SectorAcademy   Sector = "Academy" // residential special schools run by academy trusts, as the Ofsted register records them
)

// Rating is an Ofsted overall effectiveness judgement, normalised.
type Rating string

// Ratings.
const (
	RatingOutstanding Rating = "Outstanding"
	RatingGood        Rating = "Good"
	RatingRI          Rating = "Requires improvement"
	RatingInadequate  Rating = "Inadequate"
	RatingNone        Rating = "" // not yet inspected
)

// Resident is a child currently living in a home, as far as the impact
// assessment needs to know: age, sex and risk flags, never identity.
type Resident struct {
	Age   int
	Sex   Sex
	Risks []Risk
}

// Provision is one place a child can live: an Ofsted-registered home or
// supported accommodation service, or a fostering household.
type Provision struct {
	ID              string        // stable id: Ofsted URN for registered settings, household id for foster carers
	Kind            ProvisionKind // what it is
	Name            string
	Owner           string   // owner organisation (Ofsted register) or fostering service
	Sector          Sector   // LA, private, voluntary, health
	Council         string   // ONS code of the council the provision is in
	Postcode        string   // full postcode, sector or district (Ofsted withholds homes' postcodes: a district)
	Places          int      // registered places (homes) or approved children (fostering)
	Rating          Rating   // latest Ofsted overall judgement of the setting (homes) or service (fostering)
	MinAge          int      // youngest age accepted (years)
	MaxAge          int      // oldest age accepted (years, inclusive)
	Sexes           []Sex    // sexes accepted; empty means any
	Needs           []string // needs catered for, from the statement of purpose (e.g. "EBD", "LD", "PD", "MH")
	Provider        ProviderType
	InHouse         bool       // fostering: the council's own service rather than an agency
	SiblingCapacity int        // fostering: the largest sibling group the household can take together
	Specialisms     []string   // fostering: e.g. "parent_and_child", "disability", "teenagers", "UASC"
	WeeklyPrice     Pence      // usual weekly price per child
	Residents       []Resident // current residents (homes) for the impact assessment
	Registered      time.Time  // registration date
	Closed          time.Time  // the day the setting closed (a register's history); zero while open
}

// Vacancy is a place a provider says is free from ValidFrom. Places is how
// many children it can take (a sibling group needs several in one provision).
type Vacancy struct {
	ID          string
	ProvisionID string
	Places      int
	ValidFrom   time.Time
	UpdatedAt   time.Time // when the provider last confirmed it; stale vacancies are shown as such
	WeeklyPrice Pence     // price offered for this vacancy, if different from the provision's usual price
}
