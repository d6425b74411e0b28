package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/tabular"
)

// Numbers, money, dates and codes are shown as a council officer reads them:
// 1,234; £1,234; 31 March 2025; plain words for codes. These functions are
// the templates' (see templateFuncs) and the handlers' one way of doing so.

// formatInt writes n with thousands separators: 1234567 → "1,234,567".
func formatInt(n int64) string { return tabular.Thousands(n) }

// formatNumber writes a number with thousands separators and at most
// decimals decimal places, dropping a ".0" on whole numbers. Text (such as
// the suppression symbol "c") is returned as it is; nil and NaN are "".
func formatNumber(v any, decimals int) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		// A count already written as digits (the councils list's "c"-able
		// counts) gets its separators; anything else is text.
		if n, err := strconv.ParseInt(x, 10, 64); err == nil && x != "" && x[0] != '+' {
			return formatInt(n)
		}
		return x
	case int:
		return formatInt(int64(x))
	case int64:
		return formatInt(x)
	case care.Pence:
		return formatMoney(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		if decimals == 0 || x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return formatInt(int64(math.Round(x)))
		}
		s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
		whole, frac, _ := strings.Cut(s, ".")
		n, _ := strconv.ParseInt(whole, 10, 64)
		out := formatInt(n) + "." + frac
		if x < 0 {
			out = "-" + out
		}
		return out
	}
	return fmt.Sprint(v)
}

// formatMoney writes pence as whole pounds: £1,234 (−£1,234 when negative).
func formatMoney(p care.Pence) string {
	pounds := int64(math.Round(math.Abs(p.Pounds())))
	if p < 0 && pounds != 0 {
		return "−£" + formatInt(pounds)
	}
	return "£" + formatInt(pounds)
}

// formatPounds writes a float of pounds as whole pounds: £1,234.
func formatPounds(f float64) string { return formatMoney(care.FromPounds(f)) }

// formatDate writes a date as "31 March 2025". It takes a time.Time or a
// "2006-01-02" string (anything else is returned as it is); the zero time is "".
func formatDate(v any) string {
	switch x := v.(type) {
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.Format("2 January 2006")
	case *time.Time:
		if x == nil {
			return ""
		}
		return formatDate(*x)
	case string:
		if t, err := time.Parse("2006-01-02", x); err == nil {
			return t.Format("2 January 2006")
		}
		return x
	}
	return fmt.Sprint(v)
}

// formatDateTime writes a moment as "31 March 2025, 14:05" (UTC).
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 January 2006, 15:04")
}

// formatCell writes one table cell as the page shows it: counts with
// thousands separators, percentages and rates to one decimal place, money as
// whole pounds; text and the suppression symbol as they are.
func formatCell(c tabular.Column, v any) string {
	switch c.Kind {
	case tabular.Count:
		return formatNumber(v, 0)
	case tabular.Money:
		switch x := v.(type) {
		case float64:
			return formatPounds(x)
		case int:
			return formatPounds(float64(x))
		}
		return formatNumber(v, 0)
	case tabular.Percent, tabular.Rate, tabular.Number:
		return formatNumber(v, 1)
	}
	if s, ok := v.(string); ok {
		return s
	}
	return tabular.Format(c, v)
}

// Plain-English names of the product's own keys (forecast groups, kinds of
// provision, placement groups, roles): never shown raw.
var keyLabels = map[string]string{
	string(care.ForecastFosterRelative):    "Fostering with friends or relatives",
	string(care.ForecastFosterInHouse):     "Fostering with the council's own carers",
	string(care.ForecastFosterAgency):      "Fostering through an agency",
	string(care.ForecastSupported):         "Supported accommodation",
	string(care.ForecastPlacedWithParents): "Placed with parents",
	string(care.ForecastAdoption):          "Placed for adoption",
	string(care.ForecastSecureOther):       "Secure or other placement",
	string(care.ForecastNotInCare):         "Not in care",
	string(care.KindChildrensHome):         "Children's home",
	string(care.KindSecureHome):            "Secure children's home",
	string(care.KindResidentialSchool):     "Residential special school",
	string(care.KindSupported):             "Supported accommodation",
	string(care.KindFostering):             "Fostering",
	"foster_other":                         "Fostering with other carers",
	"secure":                               "Secure children's home",
	"temporary":                            "Temporary placement",
	"other":                                "Other placement",
	"council":                              "Council officer",
	"rcc":                                  "Regional care cooperative analyst",
	"provider":                             "Provider",
	"admin":                                "Administrator",
}

// label gives the plain-English meaning of a code. With a field (an SSDA903
// field name such as "PLACE" or "LS"), the code list's meaning is used:
// "U4" → "U4: Placed with other foster carer …". With the field "" the
// product's own keys are looked up (keyLabels). An unknown code is returned
// as it is, so nothing is ever hidden.
func label(field, code string) string {
	if field != "" {
		if m := care.CodeMeaning(field, code); m != "" {
			return code + ": " + m
		}
		return code
	}
	if l, ok := keyLabels[code]; ok {
		return l
	}
	if g := care.PlacementGroup(code); g.Label() != code {
		return g.Label()
	}
	return code
}

// percent writes a percentage to one decimal place: 12.345 → "12.3%".
func percent(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return formatNumber(v, 1) + "%"
}

// templateFuncs are the functions every view may call.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"cell":          formatCell,
		"numeric":       func(c tabular.Column) bool { return c.Kind != tabular.Text },
		"num":           func(v any) string { return formatNumber(v, 0) },
		"dec":           func(v any) string { return formatNumber(v, 1) },
		"money":         formatMoney,
		"pounds":        formatPounds,
		"pct":           percent,
		"date":          formatDate,
		"datetime":      formatDateTime,
		"label":         label,
		"year":          care.YearLabel,
		"asset":         assetURL,
		"add":           func(a, b int) int { return a + b },
		"slug":          slug,
		"csvHref":       func(base string, i int) string { return downloadHref(base, i, "csv") },
		"xlsxHref":      func(base string, i int) string { return downloadHref(base, i, "xlsx") },
		"tables":        tableViews,
		"pictureTables": func(t []tabular.Table, path string) pictureTables { return pictureTables{t, path} },
		"councilHref":   councilHref,
		"councilsRead":  councilsRead,
	}
}

// slug turns a title into an id: "Children in care" → "children-in-care".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// tableView is one table as the "table" partial shows it: Base is the page
// address its download links are made from ("" for none).
type tableView struct {
	ID    string
	Index int
	Base  string
	Table tabular.Table
}

// tableViews wraps tables for the "table" partial, downloadable from base.
func tableViews(tables []tabular.Table, base string) []tableView {
	out := make([]tableView, len(tables))
	seen := map[string]int{}
	for i, t := range tables {
		id := slug(t.Title)
		if id == "" {
			id = "table"
		}
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		out[i] = tableView{ID: id, Index: i, Base: base, Table: t}
	}
	return out
}

// councilHref links a council's name in a table's "Council" column to its
// page ("" for other cells and unknown names).
func councilHref(c tabular.Column, v any) string {
	name, ok := v.(string)
	if !ok || c.Name != "Council" || name == "" {
		return ""
	}
	if co, ok := refdata.CouncilByCode(name); ok && co.Name == name {
		return "/councils/" + co.Code
	}
	return ""
}
