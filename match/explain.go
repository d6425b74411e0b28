package match

import (
	"fmt"
	"strings"

	"sufficiency/care"
	"sufficiency/tabular"
)

// Fit is a candidate's score put into plain words a social worker reads:
// what fits the child, what is a compromise to weigh, and what is not known.
type Fit struct {
	Fits     []string `json:"fits"`
	Concerns []string `json:"to_weigh"`
	Unknown  []string `json:"not_known"`
}

// Explain puts a candidate's score parts into plain words. pv is the
// candidate's provision (for its rating); councilName names a council code
// (nil leaves codes as they are).
func Explain(ref care.Referral, c Candidate, pv *care.Provision, councilName func(string) string) Fit {
	if councilName == nil {
		councilName = func(s string) string { return s }
	}
	var f Fit
	for _, pt := range c.Parts {
		switch pt.Name {
		case "distance":
			if c.Miles < 0 {
				f.Unknown = append(f.Unknown, "distance: the home's location is not known")
			} else {
				s := fmt.Sprintf("%.1f miles from the family home", c.Miles)
				if c.Miles > 20 {
					f.Concerns = append(f.Concerns, s+" (more than 20 miles)")
				} else {
					f.Fits = append(f.Fits, s)
				}
			}
		case "in_area":
			if c.InArea {
				f.Fits = append(f.Fits, "inside your council's area")
			} else {
				f.Concerns = append(f.Concerns, "outside your council's area ("+councilName(c.Council)+")")
			}
		case "school":
			if pt.Points > 0 {
				f.Concerns = append(f.Concerns, fmt.Sprintf("%.1f miles from the current school: too far to keep it", pt.Value))
			} else {
				f.Fits = append(f.Fits, fmt.Sprintf("%.1f miles from the current school: the child can stay there", pt.Value))
			}
		case "needs_fit":
			if pt.Points > 0 {
				f.Concerns = append(f.Concerns, pt.Note)
			} else {
				f.Fits = append(f.Fits, "a "+KindWords(c.Kind)+" is the preferred type, and it is registered for the child's needs")
			}
		case "cost":
			switch {
			case c.WeeklyPrice <= 0:
				f.Unknown = append(f.Unknown, "price: not published")
			case pt.Note == "no benchmark":
				f.Unknown = append(f.Unknown, "price "+Pounds(c.WeeklyPrice)+" a week: no benchmark for this need to compare with")
			case pt.Value > 0:
				f.Concerns = append(f.Concerns, fmt.Sprintf("%s a week, %.0f%% above the benchmark for this level of need", Pounds(c.WeeklyPrice), pt.Value))
			default:
				f.Fits = append(f.Fits, fmt.Sprintf("%s a week, at or below the benchmark for this level of need", Pounds(c.WeeklyPrice)))
			}
		case "rating":
			rating := care.RatingNone
			if pv != nil {
				rating = pv.Rating
			}
			switch rating {
			case care.RatingNone:
				f.Unknown = append(f.Unknown, "Ofsted: not yet inspected")
			case care.RatingOutstanding, care.RatingGood:
				f.Fits = append(f.Fits, "Ofsted: "+strings.ToLower(string(rating)))
			default:
				f.Concerns = append(f.Concerns, "Ofsted: "+strings.ToLower(string(rating)))
			}
		case "stability":
			if pt.Points > 0 {
				f.Concerns = append(f.Concerns, pt.Note)
			}
		}
	}
	if ref.SiblingCount > 0 {
		f.Fits = append(f.Fits, fmt.Sprintf("can take the child and %d sibling(s) together", ref.SiblingCount))
	}
	if len(ref.Needs.Risks) > 0 {
		f.Fits = append(f.Fits, "no known conflict between the child's risks and the children living there")
	}
	return f
}

// KindWords names a kind of provision in words.
func KindWords(k string) string {
	switch care.ProvisionKind(k) {
	case care.KindChildrensHome:
		return "children's home"
	case care.KindSecureHome:
		return "secure children's home"
	case care.KindResidentialSchool:
		return "residential special school"
	case care.KindSupported:
		return "supported accommodation"
	case care.KindFostering:
		return "fostering household"
	}
	return strings.ReplaceAll(k, "_", " ")
}

// Pounds writes money as whole pounds with thousands separators: £5,500.
func Pounds(p care.Pence) string { return tabular.Format(tabular.Column{Kind: tabular.Money}, p) }
