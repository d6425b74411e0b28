package ssda903

import "time"

// ParseDate parses a date as written in SSDA903 files: DD/MM/YYYY (the DfE CSV
// and XML format; one-digit day or month accepted, as Excel writes them) or
// YYYY-MM-DD (the platform layout). A midnight time part, which spreadsheets
// add to date cells (" 00:00:00", " 00:00", "T00:00:00", "T00:00:00Z",
// "T00:00:00.000"), is ignored on either form; any other time is not a date.
// It reports false for anything else, including impossible dates such as
// 31/02/2024. It never panics.
func ParseDate(s string) (time.Time, bool) {
	n := len(s)
	if n >= 10 && s[4] == '-' {
		y, ok1 := digits(s[0:4])
		m, ok2 := digits(s[5:7])
		d, ok3 := digits(s[8:10])
		if !ok1 || !ok2 || !ok3 || s[7] != '-' || !midnight(s[10:]) {
			return time.Time{}, false
		}
		return civil(y, m, d)
	}
	if i := indexTime(s); i >= 0 {
		if !midnight(s[i:]) {
			return time.Time{}, false
		}
		s, n = s[:i], i
	}
	// D/M/YYYY forms.
	i := 0
	d, i, ok := number(s, i, 2)
	if !ok || i >= n || s[i] != '/' {
		return time.Time{}, false
	}
	m, i, ok := number(s, i+1, 2)
	if !ok || i >= n || s[i] != '/' {
		return time.Time{}, false
	}
	if n-(i+1) != 4 {
		return time.Time{}, false
	}
	y, ok := digits(s[i+1:])
	if !ok {
		return time.Time{}, false
	}
	return civil(y, m, d)
}

// midnight reports whether rest is empty or a midnight time part.
func midnight(rest string) bool {
	switch rest {
	case "", " 00:00:00", " 00:00", "T00:00:00", "T00:00:00Z", "T00:00:00.000", " 00:00:00.000":
		return true
	}
	return false
}

// indexTime returns the index of a time part (" " or "T" after the date), or -1.
func indexTime(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == 'T' {
			return i
		}
	}
	return -1
}

func civil(y, m, d int) (time.Time, bool) {
	if y < 1800 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return time.Time{}, false
	}
	return t, true
}

// number reads 1..max digits starting at i.
func number(s string, i, max int) (int, int, bool) {
	v, j := 0, i
	for j < len(s) && j-i < max && s[j] >= '0' && s[j] <= '9' {
		v = v*10 + int(s[j]-'0')
		j++
	}
	return v, j, j > i
}

func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// FormatDate writes a date in the DfE format DD/MM/YYYY ("" for the zero time).
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}
